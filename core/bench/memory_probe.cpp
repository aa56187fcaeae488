#include "bench/memory_probe.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <vector>

#include "common/parallel.h"
#include "model/model.h"
#include "model/sampler.h"

namespace qs::bench {

namespace {

// A "VmRSS:  1234 kB" line of /proc/self/status, in bytes.
int64_t status_bytes(const std::string& key) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.compare(0, key.size() + 1, key + ":") == 0)
            return std::stoll(line.substr(key.size() + 1)) * 1024;
    fail("/proc/self/status has no " + key);
}

std::vector<std::string> probe_arguments(const std::string& executable, const ProbeRequest& r) {
    std::vector<std::string> a = {executable, "memory-probe", r.model, "--method", method_name(r.quant.method),
                                  "--prompt-tokens", std::to_string(r.prompt_tokens),
                                  "--max-new-tokens", std::to_string(r.max_new_tokens), "--json"};
    if (r.quant.method == Method::int4) a.insert(a.end(), {"--group-size", std::to_string(r.quant.group_size)});
    if (!r.quant.quantize_embeddings && r.quant.method != Method::fp32) a.push_back("--fp32-embeddings");
    if (!r.tokenizer.empty()) a.insert(a.end(), {"--tokenizer", r.tokenizer});
    if (r.threads > 0) a.insert(a.end(), {"--threads", std::to_string(r.threads)});
    return a;
}

// Reads both pipes until the child closes them, polling the cancel token.
bool drain(int out_fd, int err_fd, std::string& out, std::string& err, const Control& control) {
    pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
    int open = 2;
    char buf[4096];
    while (open > 0) {
        if (control.cancelled()) return false;
        const int n = poll(fds, 2, 100);
        if (n < 0 && errno != EINTR) break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            const ssize_t got = read(fds[i].fd, buf, sizeof(buf));
            if (got > 0) {
                (i == 0 ? out : err).append(buf, size_t(got));
            } else if (got == 0 || errno != EINTR) {
                fds[i].fd = -1;
                --open;
            }
        }
    }
    return true;
}

}  // namespace

Result<MemoryProbe> probe_memory_here(const ProbeRequest& request) {
    return guarded([&] {
        if (request.threads > 0) set_num_threads(request.threads);
        LoadOptions options;
        options.quant = request.quant;
        options.tokenizer = request.tokenizer;
        auto model = Model::load(request.model, options);
        if (!model) fail(model.error().message);
        MemoryProbe probe;
        probe.rss_after_load_bytes = status_bytes("VmRSS");
        const Model& m = **model;
        const int64_t prompt = std::max<int64_t>(1, std::min(request.prompt_tokens, m.max_positions() - 1));
        const int64_t total = std::min(prompt + request.max_new_tokens, m.max_positions());
        auto session = m.new_session(total);
        if (!session) fail(session.error().message);
        std::vector<int32_t> ids(static_cast<size_t>(prompt));
        for (int64_t i = 0; i < prompt; ++i) ids[size_t(i)] = int32_t(i % m.config().vocab_size);
        Status s = (*session)->append(ids);
        for (int64_t i = prompt; s && i < total; ++i)
            s = (*session)->append({argmax((*session)->last_logits().data(), m.config().vocab_size)});
        if (!s) fail(s.error().message);
        probe.kv_cache_bytes = (*session)->kv_cache_bytes();
        probe.peak_rss_bytes = status_bytes("VmHWM");
        return probe;
    });
}

std::string probe_to_json(const MemoryProbe& p) {
    return nlohmann::ordered_json{{"rss_after_load_bytes", p.rss_after_load_bytes},
                                  {"peak_rss_bytes", p.peak_rss_bytes},
                                  {"kv_cache_bytes", p.kv_cache_bytes}}
        .dump();
}

Result<MemoryProbe> probe_from_json(const std::string& text) {
    return guarded([&] {
        // The answer is the last line; anything before it is not ours.
        const size_t start = text.rfind('{');
        if (start == std::string::npos) fail("the memory probe printed no JSON");
        const auto j = nlohmann::json::parse(text.substr(start));
        MemoryProbe p;
        p.rss_after_load_bytes = j.at("rss_after_load_bytes").get<int64_t>();
        p.peak_rss_bytes = j.at("peak_rss_bytes").get<int64_t>();
        p.kv_cache_bytes = j.at("kv_cache_bytes").get<int64_t>();
        return p;
    });
}

Result<MemoryProbe> probe_memory_in_child(const std::string& executable, const ProbeRequest& request,
                                          const Control& control) {
    const std::vector<std::string> args = probe_arguments(executable, request);
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);

    int out_pipe[2], err_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) != 0) return Error{"memory probe: pipe failed"};
    if (pipe2(err_pipe, O_CLOEXEC) != 0) {
        close(out_pipe[0]);
        close(out_pipe[1]);
        return Error{"memory probe: pipe failed"};
    }
    const pid_t pid = fork();
    if (pid < 0) {
        for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) close(fd);
        return Error{"memory probe: fork failed"};
    }
    if (pid == 0) {
        // Child: only async-signal-safe calls until exec.
        dup2(out_pipe[1], STDOUT_FILENO);
        dup2(err_pipe[1], STDERR_FILENO);
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(out_pipe[1]);
    close(err_pipe[1]);
    std::string out, err;
    const bool finished = drain(out_pipe[0], err_pipe[0], out, err, control);
    close(out_pipe[0]);
    close(err_pipe[0]);
    if (!finished) kill(pid, SIGTERM);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    if (!finished) return cancelled_error();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        while (!err.empty() && (err.back() == '\n' || err.back() == '\r')) err.pop_back();
        const size_t last_line = err.rfind('\n');
        std::string why = last_line == std::string::npos ? err : err.substr(last_line + 1);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && why.empty())
            why = "cannot run " + executable;
        if (why.empty()) why = WIFSIGNALED(status) ? "killed by signal " + std::to_string(WTERMSIG(status))
                                                   : "exit code " + std::to_string(WEXITSTATUS(status));
        return Error{"memory probe failed: " + why};
    }
    return probe_from_json(out);
}

}  // namespace qs::bench
