// SPDX-License-Identifier: MIT
#pragma once
// The lock of a pipeline's run folder (docs/pipeline.md, "One pipeline per run folder"): two
// pipelines on one folder would mix their models, sweeps and tables.
//
// DIR/pipeline.lock is held with flock(2), which the system lets go of when the holder ends,
// however it ends (an error, SIGKILL, a crash), and it holds one line naming the holder:
// "PID HOST STARTED". A second pipeline finds the lock held and is refused with that line. A lock
// file that nobody holds was left by a pipeline that was killed: it is taken over, with a line
// saying whose it was. The holder removes the file when it is done.

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <string>

#include "discgeom/error.hpp"

namespace discgeom::cli {

/// This machine's host name ("unknown" when it has none).
inline std::string host_name() {
  std::array<char, 256> name{};
  if (gethostname(name.data(), name.size() - 1) != 0 || name[0] == '\0')
    return "unknown";
  return name.data();
}

/// The lock of one run folder, held from construction to destruction.
class run_folder_lock {
 public:
  /// Takes the lock of `folder` (an existing folder).
  /// \throws io_error "--out DIR is in use by another pipeline: process PID on host HOST,
  ///         started TIME" when another process holds it; io_error with errno's reason when the
  ///         lock file cannot be made or locked
  explicit run_folder_lock(const std::filesystem::path& folder) : file_(folder / "pipeline.lock") {
    // The file may be removed by the holder between our open() and flock(): then the lock we
    // got is on a file that no longer has the name, and we try again with the new one.
    for (int attempt = 0;; ++attempt) {
      const int fd = ::open(file_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
      if (fd < 0)
        fail("cannot be made");
      if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int reason = errno;
        const std::string holder = first_line(fd);
        ::close(fd);
        if (reason == EWOULDBLOCK)
          throw io_error("--out " + folder.string() + " is in use by another pipeline: " +
                         describe(holder) + " (" + file_.string() + ")");
        errno = reason;
        fail("cannot be locked");
      }
      struct stat held {};
      struct stat named {};
      if (::fstat(fd, &held) == 0 && ::stat(file_.c_str(), &named) == 0 &&
          held.st_dev == named.st_dev && held.st_ino == named.st_ino) {
        fd_ = fd;
        break;
      }
      ::close(fd);
      if (attempt == 100)
        throw io_error(file_.string() + ": removed and made again by others, 100 times");
    }
    const std::string previous = first_line(fd_);
    if (!previous.empty())
      taken_over_ = "took over the lock of " + describe(previous) + ", which " +
                    (is_dead(previous) ? "is no longer running" : "no longer holds it") + " (" +
                    file_.string() + ")";
    if (!write_holder()) {
      const int reason = errno;
      ::unlink(file_.c_str());
      ::close(fd_);
      errno = reason;
      fail("cannot be written");
    }
  }

  ~run_folder_lock() {
    ::unlink(file_.c_str());  // before the lock is let go of: a waiter then makes a new file
    ::close(fd_);
  }
  run_folder_lock(const run_folder_lock&) = delete;
  run_folder_lock& operator=(const run_folder_lock&) = delete;

  /// When a lock file left by a pipeline that ended without removing it was taken over: a line
  /// saying whose it was; else empty.
  [[nodiscard]] const std::string& taken_over() const { return taken_over_; }

 private:
  [[noreturn]] void fail(const char* what) const {
    throw io_error(file_.string() + ": the run folder's lock " + what + ": " +
                   std::strerror(errno));
  }

  /// The first line of the open lock file (its holder: "PID HOST STARTED"), at most 255 bytes.
  static std::string first_line(int fd) {
    std::array<char, 256> text{};
    const ssize_t length = ::pread(fd, text.data(), text.size() - 1, 0);
    const std::string line(text.data(), length > 0 ? static_cast<std::size_t>(length) : 0);
    return line.substr(0, line.find('\n'));
  }

  /// "process PID on host HOST, started TIME" from a holder line ("an unknown process" when
  /// the line is not one).
  static std::string describe(const std::string& holder) {
    char host[256] = {}, started[64] = {};
    long pid = 0;
    if (std::sscanf(holder.c_str(), "%ld %255s %63s", &pid, host, started) != 3)
      return "an unknown process (the lock file says '" + holder + "')";
    return "process " + std::to_string(pid) + " on host " + host + ", started " + started;
  }

  /// Whether the holder line names a process of this host that no longer exists.
  static bool is_dead(const std::string& holder) {
    char host[256] = {};
    long pid = 0;
    return std::sscanf(holder.c_str(), "%ld %255s", &pid, host) == 2 && pid > 0 &&
           host == host_name() && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
  }

  /// Writes "PID HOST STARTED\n" over the file's text (one write, then the rest cut off).
  /// Returns false, with errno set, when it cannot.
  [[nodiscard]] bool write_holder() const {
    std::array<char, 32> started{};
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    std::strftime(started.data(), started.size(), "%Y-%m-%dT%H:%M:%SZ", &utc);
    const std::string line =
        std::to_string(::getpid()) + " " + host_name() + " " + started.data() + "\n";
    return ::pwrite(fd_, line.data(), line.size(), 0) == static_cast<ssize_t>(line.size()) &&
           ::ftruncate(fd_, static_cast<off_t>(line.size())) == 0;
  }

  std::filesystem::path file_;
  int fd_ = -1;
  std::string taken_over_;
};

}  // namespace discgeom::cli
