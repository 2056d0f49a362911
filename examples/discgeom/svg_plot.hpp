// SPDX-License-Identifier: MIT
#pragma once
// Small SVG charts drawn by the program for the pipeline's report: strip plots with boxes by
// group, line plots, and a heatmap with numbers in its cells. Pure text, no plotting library.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

namespace discgeom::cli::svg {

/// Text for XML (element content and attribute values).
inline std::string escape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

/// A number with `digits` significant digits ("%.*g").
inline std::string number(double value, int digits = 3) {
  if (!std::isfinite(value))
    return "";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
  return buffer;
}

/// Coordinates with one decimal (enough for a screen, short in the file).
inline std::string coordinate(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", value);
  return buffer;
}

/// "Nice" axis ticks covering [low, high]: steps of 1, 2 or 5 times a power of ten.
/// A range narrower than a millionth of its magnitude (a constant column, one epoch) is widened
/// to +-10% (or +-1 around 0) first; at most wanted + 3 ticks are made.
inline std::vector<double> ticks(double low, double high, int wanted = 5) {
  const double magnitude = std::max(std::abs(low), std::abs(high));
  if (!(high - low > 1e-6 * magnitude)) {
    const double pad = magnitude == 0.0 ? 1.0 : magnitude * 0.1;
    low -= pad;
    high += pad;
  }
  const double raw = (high - low) / wanted;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  double step = power;
  for (const double factor : {1.0, 2.0, 5.0, 10.0}) {
    step = factor * power;
    if (step >= raw)
      break;
  }
  const double first = std::floor(low / step);
  std::vector<double> result;
  for (int k = 0; k <= wanted + 2; ++k) {
    const double t = (first + k) * step;
    result.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
    if (t >= high)
      break;
  }
  return result;
}

/// A linear map from data to pixels.
struct axis_scale {
  double data_low = 0, data_high = 1, pixel_low = 0, pixel_high = 1;
  [[nodiscard]] double operator()(double v) const {
    return pixel_low + (v - data_low) / (data_high - data_low) * (pixel_high - pixel_low);
  }
};

struct frame {
  double width = 360, height = 240, left = 56, right = 12, top = 28, bottom = 44;
};

/// Opens an <svg> with a title, draws the y axis with its ticks and label; returns the y scale.
inline axis_scale open_plot(std::string& out, const frame& f, const std::string& title,
                            const std::string& y_label, double y_low, double y_high) {
  const auto y_ticks = ticks(y_low, y_high);
  const axis_scale y{y_ticks.front(), y_ticks.back(), f.height - f.bottom, f.top};
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" width=\"" + coordinate(f.width) +
         "\" height=\"" + coordinate(f.height) + "\" viewBox=\"0 0 " + coordinate(f.width) + " " +
         coordinate(f.height) + "\" role=\"img\"><title>" + escape(title) + "</title>";
  out += "<text x=\"" + coordinate(f.width / 2) + "\" y=\"16\" text-anchor=\"middle\" " +
         "class=\"plot-title\">" + escape(title) + "</text>";
  for (const double t : y_ticks) {
    out += "<line x1=\"" + coordinate(f.left) + "\" x2=\"" + coordinate(f.width - f.right) +
           "\" y1=\"" + coordinate(y(t)) + "\" y2=\"" + coordinate(y(t)) + "\" class=\"grid\"/>";
    out += "<text x=\"" + coordinate(f.left - 4) + "\" y=\"" + coordinate(y(t) + 4) +
           "\" text-anchor=\"end\" class=\"tick\">" + number(t, 4) + "</text>";
  }
  out += "<text transform=\"translate(12," + coordinate((f.top + f.height - f.bottom) / 2) +
         ") rotate(-90)\" text-anchor=\"middle\" class=\"axis-label\">" + escape(y_label) +
         "</text>";
  return y;
}

inline std::pair<double, double> finite_range(const std::vector<std::vector<double>>& groups) {
  double low = std::numeric_limits<double>::infinity(), high = -low;
  for (const auto& g : groups) {
    for (const double v : g) {
      if (std::isfinite(v)) {
        low = std::min(low, v);
        high = std::max(high, v);
      }
    }
  }
  if (!std::isfinite(low))
    return {0.0, 1.0};
  return {low, high};
}

/// Values of each group as points (spread sideways by a fixed pattern, no randomness) over a box
/// of the quartiles with the median (quartiles by linear interpolation, numpy's default).
inline std::string strip_plot(const std::string& title, const std::string& y_label,
                              const std::vector<std::string>& groups,
                              const std::vector<std::vector<double>>& values) {
  frame f;
  f.width = std::max(240.0, 70.0 + 52.0 * static_cast<double>(groups.size()));
  std::string out;
  const auto [low, high] = finite_range(values);
  const axis_scale y = open_plot(out, f, title, y_label, low, high);
  const double slot = (f.width - f.left - f.right) / static_cast<double>(groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const double centre = f.left + slot * (static_cast<double>(g) + 0.5);
    std::vector<double> sorted;
    for (const double v : values[g]) {
      if (std::isfinite(v))
        sorted.push_back(v);
    }
    std::sort(sorted.begin(), sorted.end());
    if (!sorted.empty()) {
      const auto quantile = [&](double q) {
        const double at = q * static_cast<double>(sorted.size() - 1);
        const auto below = static_cast<std::size_t>(std::floor(at));
        const std::size_t above = std::min(below + 1, sorted.size() - 1);
        return sorted[below] + (at - static_cast<double>(below)) * (sorted[above] - sorted[below]);
      };
      const double q1 = y(quantile(0.25)), q3 = y(quantile(0.75)), median = y(quantile(0.5));
      const double half = std::min(16.0, slot * 0.35);
      out += "<rect x=\"" + coordinate(centre - half) + "\" y=\"" + coordinate(q3) + "\" width=\"" +
             coordinate(2 * half) + "\" height=\"" + coordinate(std::max(0.5, q1 - q3)) +
             "\" class=\"box\"/>";
      out += "<line x1=\"" + coordinate(centre - half) + "\" x2=\"" + coordinate(centre + half) +
             "\" y1=\"" + coordinate(median) + "\" y2=\"" + coordinate(median) +
             "\" class=\"median\"/>";
    }
    std::size_t k = 0;
    for (const double v : values[g]) {
      if (!std::isfinite(v))
        continue;
      const double spread = (static_cast<double>((k++ * 7) % 11) / 10.0 - 0.5) * slot * 0.5;
      out += "<circle cx=\"" + coordinate(centre + spread) + "\" cy=\"" + coordinate(y(v)) +
             "\" r=\"2.2\" class=\"point\"/>";
    }
    out += "<text x=\"" + coordinate(centre) + "\" y=\"" + coordinate(f.height - f.bottom + 16) +
           "\" text-anchor=\"middle\" class=\"tick\">" + escape(groups[g]) + "</text>";
  }
  return out + "</svg>";
}

/// One or more series against x (e.g. loss per epoch), with a legend.
inline std::string line_plot(const std::string& title, const std::string& x_label,
                             const std::string& y_label, const std::vector<double>& x,
                             const std::vector<std::string>& names,
                             const std::vector<std::vector<double>>& series) {
  frame f;
  f.width = 420;
  std::string out;
  const auto [low, high] = finite_range(series);
  const axis_scale y = open_plot(out, f, title, y_label, low, high);
  const auto x_ticks = ticks(x.empty() ? 0.0 : x.front(), x.empty() ? 1.0 : x.back());
  const axis_scale sx{x_ticks.front(), x_ticks.back(), f.left, f.width - f.right};
  for (const double t : x_ticks) {
    out += "<text x=\"" + coordinate(sx(t)) + "\" y=\"" + coordinate(f.height - f.bottom + 16) +
           "\" text-anchor=\"middle\" class=\"tick\">" + number(t, 4) + "</text>";
  }
  out += "<text x=\"" + coordinate((f.left + f.width - f.right) / 2) + "\" y=\"" +
         coordinate(f.height - 8) + "\" text-anchor=\"middle\" class=\"axis-label\">" +
         escape(x_label) + "</text>";
  for (std::size_t s = 0; s < series.size(); ++s) {
    std::string points;
    for (std::size_t i = 0; i < x.size() && i < series[s].size(); ++i) {
      if (std::isfinite(series[s][i]))
        points += coordinate(sx(x[i])) + "," + coordinate(y(series[s][i])) + " ";
    }
    out +=
        "<polyline points=\"" + points + "\" class=\"series series-" + std::to_string(s) + "\"/>";
    out += "<text x=\"" + coordinate(f.width - f.right - 4) + "\" y=\"" +
           coordinate(f.top + 14 + 14 * static_cast<double>(s)) +
           "\" text-anchor=\"end\" class=\"legend series-" + std::to_string(s) + "\">" +
           escape(names[s]) + "</text>";
  }
  return out + "</svg>";
}

/// A colour for r in [-1, 1]: blue (negative) through white to red (positive).
inline std::string diverging_colour(double r) {
  if (!std::isfinite(r))
    return "#dddddd";
  r = std::clamp(r, -1.0, 1.0);
  const auto channel = [](double t) { return static_cast<int>(std::lround(255.0 * t)); };
  const double fade = 1.0 - std::abs(r);
  const int red = r >= 0 ? 255 : channel(fade), blue = r <= 0 ? 255 : channel(fade);
  const int green = channel(fade);
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", red, green, blue);
  return buffer;
}

/// Rows x columns of coefficients in [-1, 1], each cell showing its value and a second line
/// (e.g. the p-value).
inline std::string heatmap(const std::string& title, const std::vector<std::string>& rows,
                           const std::vector<std::string>& columns,
                           const std::vector<std::vector<double>>& values,
                           const std::vector<std::vector<std::string>>& second_lines) {
  const double cell_w = 92, cell_h = 40, left = 60, top = 34, bottom = 96;
  const double width = left + cell_w * static_cast<double>(columns.size()) + 12;
  const double height = top + cell_h * static_cast<double>(rows.size()) + bottom;
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" width=\"" +
                    coordinate(width) + "\" height=\"" + coordinate(height) + "\" viewBox=\"0 0 " +
                    coordinate(width) + " " + coordinate(height) + "\" role=\"img\"><title>" +
                    escape(title) + "</title>";
  out += "<text x=\"" + coordinate(width / 2) + "\" y=\"18\" text-anchor=\"middle\" " +
         "class=\"plot-title\">" + escape(title) + "</text>";
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const double y0 = top + cell_h * static_cast<double>(r);
    out += "<text x=\"" + coordinate(left - 6) + "\" y=\"" + coordinate(y0 + cell_h / 2 + 4) +
           "\" text-anchor=\"end\" class=\"tick\">" + escape(rows[r]) + "</text>";
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const double x0 = left + cell_w * static_cast<double>(c);
      const double v = values[r][c];
      out += "<rect x=\"" + coordinate(x0) + "\" y=\"" + coordinate(y0) + "\" width=\"" +
             coordinate(cell_w - 1) + "\" height=\"" + coordinate(cell_h - 1) + "\" fill=\"" +
             diverging_colour(v) + "\"/>";
      out += "<text x=\"" + coordinate(x0 + cell_w / 2) + "\" y=\"" + coordinate(y0 + 17) +
             "\" text-anchor=\"middle\" class=\"cell-value\">" +
             (std::isfinite(v) ? number(v, 2) : std::string("n/a")) + "</text>";
      out += "<text x=\"" + coordinate(x0 + cell_w / 2) + "\" y=\"" + coordinate(y0 + 31) +
             "\" text-anchor=\"middle\" class=\"cell-note\">" + escape(second_lines[r][c]) +
             "</text>";
    }
  }
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const double x = left + cell_w * (static_cast<double>(c) + 0.5);
    const double y = top + cell_h * static_cast<double>(rows.size()) + 8;
    out += "<text transform=\"translate(" + coordinate(x) + "," + coordinate(y) +
           ") rotate(35)\" class=\"tick\">" + escape(columns[c]) + "</text>";
  }
  return out + "</svg>";
}

}  // namespace discgeom::cli::svg
