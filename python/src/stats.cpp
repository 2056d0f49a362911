// SPDX-License-Identifier: MIT
// discgeom.correlate and discgeom.correlation_matrix: the table of `discgeom correlate`
// (examples/discgeom/correlate_command.hpp) and its matrices, from float64 numpy columns read in
// place (any stride).

#include <cstddef>
#include <cstdint>
#include <ranges>
#include <string>
#include <vector>

#include "arrays.hpp"
#include "discgeom/enum_names.hpp"
#include "discgeom/stats/agreement.hpp"
#include "discgeom/stats/correlation_matrix.hpp"

namespace discgeom_python {

namespace {

using namespace discgeom;

/// A float64 numpy column as a sized range of doubles over its own memory.
auto column_range(const double* data, std::ptrdiff_t stride, std::size_t n) {
  return std::views::iota(std::size_t{0}, n) | std::views::transform([data, stride](std::size_t i) {
           return data[static_cast<std::ptrdiff_t>(i) * stride];
         });
}
using column_type = decltype(column_range(nullptr, 0, 0));

std::vector<column_type> columns_of(const std::vector<py::array>& arrays, const char* argument) {
  std::vector<column_type> columns;
  for (std::size_t c = 0; c < arrays.size(); ++c) {
    const py::array& a = arrays[c];
    if (a.ndim() != 1 || a.dtype().kind() != 'f' || a.itemsize() != 8 ||
        !a.dtype().attr("isnative").cast<bool>() ||
        a.strides(0) % static_cast<py::ssize_t>(sizeof(double)) != 0) {
      throw py::value_error(std::string("correlate(): ") + argument + " column " +
                            std::to_string(c) + " must be a 1D float64 array");
    }
    columns.push_back(column_range(static_cast<const double*>(a.data()),
                                   a.strides(0) / static_cast<py::ssize_t>(sizeof(double)),
                                   static_cast<std::size_t>(a.shape(0))));
  }
  return columns;
}

correlation_matrix_options options_of(const std::string& adjust, const std::string& alternative,
                                      double confidence, const std::string& interval,
                                      std::size_t resamples, std::uint64_t seed) {
  correlation_matrix_options options;
  options.adjustment = parse_enum<p_adjustment>(adjust, "correlate", "adjust");
  options.correlation.alternative =
      parse_enum<alternative_hypothesis>(alternative, "correlate", "alternative");
  if (!(confidence > 0.0 && confidence < 1.0))
    throw py::value_error("correlate(): confidence must be in (0, 1), got " +
                          std::to_string(confidence));
  options.correlation.confidence = confidence;
  if (interval == "fisher")
    options.correlation.interval = correlation_interval::fisher_z;
  else if (interval == "bootstrap")
    options.correlation.interval = correlation_interval::bootstrap;
  else
    throw py::value_error("correlate(): ci '" + interval + "' must be fisher or bootstrap");
  if (resamples < 1)
    throw py::value_error("correlate(): resamples must be >= 1");
  options.correlation.bootstrap_resamples = resamples;
  options.correlation.seed = seed;
  return options;
}

/// One matrix per method, computed without the GIL.
std::vector<correlation_matrix_result> matrices(const std::vector<py::array>& x,
                                                const std::vector<py::array>& y,
                                                const std::vector<std::string>& methods,
                                                correlation_matrix_options options) {
  const auto xs = columns_of(x, "x");
  const auto ys = columns_of(y, "y");
  std::vector<correlation_method> parsed;
  for (const auto& m : methods)
    parsed.push_back(parse_enum<correlation_method>(m, "correlate", "method"));
  std::vector<correlation_matrix_result> results;
  py::gil_scoped_release release;
  for (const auto method : parsed) {
    options.correlation.method = method;
    results.push_back(correlation_matrix(xs, ys, options));
  }
  return results;
}

py::dict correlate(const std::vector<std::string>& x_names, const std::vector<py::array>& x,
                   const std::vector<std::string>& y_names, const std::vector<py::array>& y,
                   const std::vector<std::string>& methods, const std::string& adjust,
                   const std::string& alternative, double confidence, const std::string& interval,
                   std::size_t resamples, std::uint64_t seed) {
  const auto results = matrices(
      x, y, methods, options_of(adjust, alternative, confidence, interval, resamples, seed));
  table t{{"x", "y", "method", "n", "r", "p", "ci_low", "ci_high", "p_adjusted"}, {}};
  for (std::size_t m = 0; m < results.size(); ++m) {
    const auto& matrix = results[m];
    for (std::size_t i = 0; i < x_names.size(); ++i)
      for (std::size_t j = 0; j < y_names.size(); ++j) {
        const correlation_result& c = matrix(i, j);
        t.rows.push_back({text(x_names[i]), text(y_names[j]), text(methods[m]), count(c.n),
                          number(c.r), number(c.p), number(c.ci_low), number(c.ci_high),
                          number(matrix.adjusted_p(i, j))});
      }
  }
  return to_columns(t);
}

py::dict matrix(const std::vector<py::array>& x, const std::vector<py::array>& y,
                const std::string& method, const std::string& adjust,
                const std::string& alternative, double confidence, const std::string& interval,
                std::size_t resamples, std::uint64_t seed) {
  const auto results = matrices(
      x, y, {method}, options_of(adjust, alternative, confidence, interval, resamples, seed));
  const auto& m = results.front();
  const auto nx = static_cast<py::ssize_t>(m.x_features);
  const auto ny = static_cast<py::ssize_t>(m.y_features);
  py::array_t<double> r({nx, ny}), p({nx, ny}), low({nx, ny}), high({nx, ny}), adjusted({nx, ny});
  py::array_t<std::int64_t> n({nx, ny});
  auto wr = r.mutable_unchecked<2>(), wp = p.mutable_unchecked<2>(),
       wl = low.mutable_unchecked<2>(), wh = high.mutable_unchecked<2>(),
       wa = adjusted.mutable_unchecked<2>();
  auto wn = n.mutable_unchecked<2>();
  for (py::ssize_t i = 0; i < nx; ++i)
    for (py::ssize_t j = 0; j < ny; ++j) {
      const auto ui = static_cast<std::size_t>(i), uj = static_cast<std::size_t>(j);
      const correlation_result& c = m(ui, uj);
      wr(i, j) = c.r;
      wp(i, j) = c.p;
      wl(i, j) = c.ci_low;
      wh(i, j) = c.ci_high;
      wa(i, j) = m.adjusted_p(ui, uj);
      wn(i, j) = static_cast<std::int64_t>(c.n);
    }
  py::dict d;
  d["r"] = r;
  d["p"] = p;
  d["ci_low"] = low;
  d["ci_high"] = high;
  d["p_adjusted"] = adjusted;
  d["n"] = n;
  return d;
}

/// The rows of `discgeom agree`, one per (measure, group) of columns already paired.
py::dict agree(const std::vector<std::string>& measures, const std::vector<std::string>& groups,
               const std::vector<py::array>& reference, const std::vector<py::array>& test,
               const std::vector<std::size_t>& unpaired) {
  const auto xs = columns_of(reference, "reference");
  const auto ys = columns_of(test, "test");
  if (measures.size() != groups.size() || xs.size() != measures.size() ||
      ys.size() != measures.size() || unpaired.size() != measures.size())
    throw py::value_error(
        "agree(): one measure, group, reference, test and unpaired count per row");
  std::vector<agreement_summary> summaries;
  {
    py::gil_scoped_release release;
    for (std::size_t r = 0; r < xs.size(); ++r)
      summaries.push_back(agreement(xs[r], ys[r]));
  }
  table t{{"measure", "group", "n", "pearson_r", "pearson_p", "mae", "mae_sd", "bias", "loa_low",
           "loa_high", "icc_a1", "ccc", "n_unpaired", "n_missing"},
          {}};
  for (std::size_t r = 0; r < summaries.size(); ++r) {
    const auto& a = summaries[r];
    t.rows.push_back({text(measures[r]), text(groups[r]), count(a.n), number(a.pearson_r),
                      number(a.pearson_p), number(a.mae), number(a.mae_sd), number(a.bias),
                      number(a.loa_low), number(a.loa_high), number(a.icc_a1), number(a.ccc),
                      count(unpaired[r]), count(a.n_missing)});
  }
  return to_columns(t);
}

}  // namespace

void register_stats(py::module_& m) {
  m.def("agree", &agree, py::arg("measures"), py::arg("groups"), py::arg("reference"),
        py::arg("test"), py::arg("unpaired"),
        "The rows of `discgeom agree` from paired float64 columns.");
  m.def("correlate", &correlate, py::arg("x_names"), py::arg("x"), py::arg("y_names"), py::arg("y"),
        py::arg("methods"), py::arg("adjust"), py::arg("alternative"), py::arg("confidence"),
        py::arg("ci"), py::arg("resamples"), py::arg("seed"),
        "The table of `discgeom correlate`: every x column against every y column per method.");
  m.def("correlation_matrix", &matrix, py::arg("x"), py::arg("y"), py::arg("method"),
        py::arg("adjust"), py::arg("alternative"), py::arg("confidence"), py::arg("ci"),
        py::arg("resamples"), py::arg("seed"),
        "r, p, ci_low, ci_high, p_adjusted and n as (x, y) matrices.");
}

}  // namespace discgeom_python
