// SPDX-License-Identifier: MIT
#pragma once
// A progress bar on stderr, shown only when stderr is a terminal and --quiet is not given.

#include <unistd.h>

#include <cstdio>
#include <string>

namespace discgeom::cli {

class progress_bar {
 public:
  progress_bar(std::string what, std::size_t total, bool quiet)
      : what_(std::move(what)), total_(total), shown_(!quiet && isatty(STDERR_FILENO) != 0) {}
  ~progress_bar() {
    if (shown_ && drawn_)
      std::fputc('\n', stderr);
  }
  progress_bar(const progress_bar&) = delete;
  progress_bar& operator=(const progress_bar&) = delete;

  void step(const std::string& item) {
    ++done_;
    if (!shown_)
      return;
    constexpr std::size_t width = 30;
    const std::size_t filled = total_ == 0 ? width : width * done_ / total_;
    std::fprintf(stderr, "\r%s [%s%s] %zu/%zu %s\x1b[K", what_.c_str(),
                 std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(), done_,
                 total_, item.c_str());
    std::fflush(stderr);
    drawn_ = true;
  }

 private:
  std::string what_;
  std::size_t total_ = 0, done_ = 0;
  bool shown_ = false, drawn_ = false;
};

}  // namespace discgeom::cli
