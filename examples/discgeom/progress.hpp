// SPDX-License-Identifier: MIT
#pragma once
// Progress on stderr. On a terminal: one line redrawn in place (a progress bar). Otherwise (a
// log file, nohup, a batch scheduler): plain lines, rate-limited, so that long work is never
// silent for long. --quiet silences both.

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace discgeom::cli {

/// Progress text on stderr: redrawn in place on a terminal (a newline ends it when it goes out
/// of scope after being drawn); written as plain lines when stderr is not a terminal; nothing
/// when quiet.
class status_line {
 public:
  using clock = std::chrono::steady_clock;

  explicit status_line(bool quiet)
      : mode_(quiet                        ? mode::silent
              : isatty(STDERR_FILENO) != 0 ? mode::terminal
                                           : mode::log) {}
  ~status_line() {
    if (mode_ == mode::terminal && drawn_)
      std::fputc('\n', stderr);
  }
  status_line(const status_line&) = delete;
  status_line& operator=(const status_line&) = delete;

  [[nodiscard]] bool silent() const { return mode_ == mode::silent; }
  [[nodiscard]] bool on_terminal() const { return mode_ == mode::terminal; }
  /// Seconds since the line was made.
  [[nodiscard]] double elapsed_s() const {
    return std::chrono::duration<double>(clock::now() - started_).count();
  }
  /// Seconds since the last plain line (since the line was made when none was written).
  [[nodiscard]] double since_last_line_s() const {
    return std::chrono::duration<double>(clock::now() - last_line_).count();
  }

  /// On a terminal: redraws the line with `text`.
  void draw(const std::string& text) {
    if (mode_ != mode::terminal)
      return;
    std::fprintf(stderr, "\r%s\x1b[K", text.c_str());
    std::fflush(stderr);
    drawn_ = true;
  }
  /// Without a terminal: writes `text` as one line.
  void write_line(const std::string& text) {
    if (mode_ != mode::log)
      return;
    std::fprintf(stderr, "%s\n", text.c_str());
    std::fflush(stderr);
    last_line_ = clock::now();
  }

 private:
  enum class mode { silent, terminal, log };
  mode mode_;
  bool drawn_ = false;
  clock::time_point started_ = clock::now(), last_line_ = started_;
};

/// "[#####.....]": `done` of `total` in `width` characters (full when total is 0).
inline std::string progress_gauge(std::size_t done, std::size_t total, std::size_t width = 30) {
  const std::size_t filled = total == 0 ? width : std::min(width, width * done / total);
  return "[" + std::string(filled, '#') + std::string(width - filled, '.') + "]";
}

/// Per-item progress. On a terminal: "what [####....] 3/10 item", redrawn per item. Without a
/// terminal, once the work has run for 2 s: "what 3/10 item" at every tenth of the items, at
/// least every 30 s, and at the last item, so a short run writes nothing.
class progress_bar {
 public:
  progress_bar(std::string what, std::size_t total, bool quiet)
      : what_(std::move(what)), total_(total), line_(quiet) {}

  void step(const std::string& item) {
    ++done_;
    if (line_.silent())
      return;
    const std::string count = std::to_string(done_) + "/" + std::to_string(total_);
    if (line_.on_terminal()) {
      line_.draw(what_ + " " + progress_gauge(done_, total_) + " " + count + " " + item);
      return;
    }
    const std::size_t tenth = std::max<std::size_t>(1, (total_ + 9) / 10);
    const bool milestone = done_ == total_ || done_ % tenth == 0 || line_.since_last_line_s() >= 30;
    if (milestone && line_.elapsed_s() >= 2)
      line_.write_line(what_ + " " + count + " " + item);
  }

 private:
  std::string what_;
  std::size_t total_ = 0, done_ = 0;
  status_line line_;
};

/// Per-epoch progress of a training: on a terminal the gauge and `text` redrawn each epoch;
/// without a terminal "text" as a line for the first and the last epoch and otherwise at most
/// one a second, so that a training under nohup or a scheduler logs every epoch of real work.
class epoch_log {
 public:
  epoch_log(std::string what, std::int64_t epochs, bool quiet)
      : what_(std::move(what)), epochs_(epochs), line_(quiet) {}

  void epoch(std::int64_t epoch, const std::string& text) {
    if (line_.silent())
      return;
    const std::string count =
        " epoch " + std::to_string(epoch) + "/" + std::to_string(epochs_) + " " + text;
    if (line_.on_terminal()) {
      line_.draw(
          what_ + " " +
          progress_gauge(static_cast<std::size_t>(epoch), static_cast<std::size_t>(epochs_)) +
          count);
      return;
    }
    if (!logged_any_ || epoch >= epochs_ || line_.since_last_line_s() >= 1) {
      line_.write_line(what_ + count);
      logged_any_ = true;
    }
  }

 private:
  std::string what_;
  std::int64_t epochs_ = 0;
  bool logged_any_ = false;
  status_line line_;
};

}  // namespace discgeom::cli
