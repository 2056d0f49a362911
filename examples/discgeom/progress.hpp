// SPDX-License-Identifier: MIT
#pragma once
// Progress on stderr (a line redrawn in place, a progress bar), shown only when stderr is a
// terminal and --quiet is not given.

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>

namespace discgeom::cli {

/// One line on stderr, redrawn in place, shown only when stderr is a terminal and quiet is
/// false; a newline ends it when it goes out of scope after being drawn.
class status_line {
 public:
  explicit status_line(bool quiet) : shown_(!quiet && isatty(STDERR_FILENO) != 0) {}
  ~status_line() {
    if (shown_ && drawn_)
      std::fputc('\n', stderr);
  }
  status_line(const status_line&) = delete;
  status_line& operator=(const status_line&) = delete;

  [[nodiscard]] bool shown() const { return shown_; }
  void draw(const std::string& text) {
    if (!shown_)
      return;
    std::fprintf(stderr, "\r%s\x1b[K", text.c_str());
    std::fflush(stderr);
    drawn_ = true;
  }

 private:
  bool shown_ = false, drawn_ = false;
};

/// "[#####.....]": `done` of `total` in `width` characters (full when total is 0).
inline std::string progress_gauge(std::size_t done, std::size_t total, std::size_t width = 30) {
  const std::size_t filled = total == 0 ? width : std::min(width, width * done / total);
  return "[" + std::string(filled, '#') + std::string(width - filled, '.') + "]";
}

/// "what [####....] 3/10 item", one step per item.
class progress_bar {
 public:
  progress_bar(std::string what, std::size_t total, bool quiet)
      : what_(std::move(what)), total_(total), line_(quiet) {}

  void step(const std::string& item) {
    ++done_;
    if (line_.shown())
      line_.draw(what_ + " " + progress_gauge(done_, total_) + " " + std::to_string(done_) + "/" +
                 std::to_string(total_) + " " + item);
  }

 private:
  std::string what_;
  std::size_t total_ = 0, done_ = 0;
  status_line line_;
};

}  // namespace discgeom::cli
