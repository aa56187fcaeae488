#pragma once
// A byte range that is either owned (allocated by us, 64-byte aligned) or borrowed from
// something that must stay alive (a memory-mapped safetensors file, a libtorch tensor).
#include <cstddef>
#include <cstdint>
#include <memory>

namespace qs {

struct Buffer {
    const void* data = nullptr;
    size_t bytes = 0;
    std::shared_ptr<const void> keepalive;  // owns or pins the memory behind data

    template <class T>
    const T* as() const { return static_cast<const T*>(data); }

    // A zero-filled, 64-byte aligned buffer owned by the returned object.
    static Buffer allocate(size_t bytes);
    // The same without the zero fill, for a caller that writes every byte.
    static Buffer allocate_for_overwrite(size_t bytes);
    // Borrows memory kept alive by owner.
    static Buffer borrow(const void* data, size_t bytes, std::shared_ptr<const void> owner) {
        return Buffer{data, bytes, std::move(owner)};
    }
    // Writable view of an owned buffer; only valid on buffers made by allocate().
    template <class T>
    T* mutable_as() { return static_cast<T*>(const_cast<void*>(data)); }
};

}  // namespace qs
