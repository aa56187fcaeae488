#pragma once
// Outputs are written under a temporary name beside the target and renamed into place, so a
// crash, a cancel or a full disk never leaves a partial file or folder behind.
#include <string>
#include <string_view>
#include <vector>

namespace qs {

// Writes content to path atomically. Throws Failure naming the path on any I/O error.
void write_file_atomically(const std::string& path, std::string_view content);
// The same for a file made of several parts written one after the other (a large file is never
// assembled in memory first).
void write_file_atomically(const std::string& path, const std::vector<std::string_view>& parts);

// A folder built under a temporary name; commit() renames it to the final path (replacing an
// existing folder of that name). Missing parent folders are created; if commit() is never
// called the temporary folder is removed, and so are the parents it created (when empty).
class AtomicDirectory {
public:
    explicit AtomicDirectory(std::string final_path);
    ~AtomicDirectory();
    AtomicDirectory(const AtomicDirectory&) = delete;
    AtomicDirectory& operator=(const AtomicDirectory&) = delete;

    const std::string& temp_path() const { return temp_path_; }
    std::string file(const std::string& name) const { return temp_path_ + "/" + name; }
    void commit();

private:
    void remove_uncommitted();

    std::string final_path_;
    std::string temp_path_;
    std::vector<std::string> created_parents_;  // deepest first
    bool committed_ = false;
};

}  // namespace qs
