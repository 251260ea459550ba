// logr's `compress`: gzips rotated files on a thread of its own, so write() never waits for it.
//
// A file X is compressed into a temp file, which is fsynced and renamed to X.gz; the directory
// is fsynced, then X is unlinked. A kill at any point leaves X, or X and a complete X.gz, plus
// perhaps the temp file; plan_recovery() sorts that out at the next start.
//
// Rotation renames files while jobs are queued or running (numbered names shift up; the oldest
// are deleted). It does so holding lock() and reports each change through moved()/removed(),
// so a job always knows the current name of its file; the job opens its file and renames its
// result under the same lock. The lock is never held across I/O that can be slow (reading,
// deflating, fsync), only across a rename or unlink.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace logr_v1 {

class Compressor {
public:
    using Log = std::function<void(const std::string &)>;

    // `temp` is where a file is compressed before it is renamed; `warn` and `info` may be
    // called from the compressor's thread.
    Compressor(std::string temp, Log warn, Log info);
    ~Compressor();
    Compressor(const Compressor &) = delete;
    Compressor &operator=(const Compressor &) = delete;

    void start();
    // Compresses what is queued, then joins the thread.
    void stop();

    std::unique_lock<std::mutex> lock() { return std::unique_lock<std::mutex>(mutex_); }
    // With lock() held:
    void add(std::string plain);
    void moved(const std::string &from, const std::string &to);
    void removed(const std::string &plain);

private:
    void run();
    void compress(int src); // compresses the open file current_ names into temp_

    std::string temp_;
    Log warn_, info_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::string> queue_;
    std::string current_;    // the file being compressed, under its present name
    bool cancelled_ = false; // current_ was deleted by rotation: discard the result
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace logr_v1
