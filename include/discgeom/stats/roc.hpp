// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The receiver operating characteristic (ROC) of a continuous score against a class, its area
/// (AUC) by the Mann-Whitney statistic, confidence intervals by DeLong et al. (Biometrics 44:837,
/// 1988) or by a seeded stratified bootstrap, and DeLong's test of two correlated AUCs.
/// Definitions: docs/stats.md; Hanley & McNeil, Radiology 143:29 (1982) for AUC = P(score of a
/// positive > score of a negative) + P(tie) / 2; Sun & Xu, IEEE Signal Process Lett 21:1389 (2014)
/// for computing DeLong's placement values in O(n log n).
///
/// Truth is a `sample` of integer class labels (see classification.hpp); the case is positive when
/// its label equals the positive class, negative otherwise (one versus rest). Scores are a
/// `sample` of numbers, larger meaning "more positive"; a missing score is a broken contract.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/math/distributions/normal.hpp>

#include "discgeom/enum_names.hpp"
#include "discgeom/error.hpp"
#include "discgeom/stats/classification.hpp"
#include "discgeom/stats/detail/quantile.hpp"
#include "discgeom/stats/detail/random.hpp"
#include "discgeom/stats/hypothesis.hpp"
#include "discgeom/stats/sample.hpp"

namespace discgeom {

/// Why an ROC result lacks some of its numbers.
enum class roc_status {
  ok,           ///< both classes present (and, for intervals, at least two of each)
  no_positive,  ///< truth holds no positive case: TPR and AUC NaN
  no_negative,  ///< truth holds no negative case: FPR and AUC NaN
  /// one positive or one negative case: AUC defined, DeLong's variance (n - 1 in a denominator)
  /// NaN, and so the DeLong intervals and test; a bootstrap interval is still computed
  single_positive_or_negative,
  /// compare_roc_auc only: the difference of the AUCs has zero DeLong variance (identical
  /// scores, or two perfectly separating scores): z and p NaN
  zero_variance,
};

/// "ok", "no_positive", "no_negative", "single_positive_or_negative", "zero_variance".
template <>
struct enum_names<roc_status> {
  static constexpr std::array<enum_name<roc_status>, 5> table{{
      {roc_status::ok, "ok"},
      {roc_status::no_positive, "no_positive"},
      {roc_status::no_negative, "no_negative"},
      {roc_status::single_positive_or_negative, "single_positive_or_negative"},
      {roc_status::zero_variance, "zero_variance"},
  }};
};

/// One operating point: the cases with score >= threshold are called positive.
struct roc_point {
  double threshold = std::numeric_limits<double>::quiet_NaN();
  double fpr = std::numeric_limits<double>::quiet_NaN();  ///< false positive rate FP / negatives
  double tpr = std::numeric_limits<double>::quiet_NaN();  ///< true positive rate TP / positives
  std::uint64_t fp = 0;                                   ///< negatives with score >= threshold
  std::uint64_t tp = 0;                                   ///< positives with score >= threshold
};

/// The ROC curve: points by decreasing threshold, from (0, 0) at +infinity to (1, 1).
struct roc_curve_result {
  std::vector<roc_point> points{};
  std::size_t positives = 0;
  std::size_t negatives = 0;
  roc_status status = roc_status::no_positive;  ///< ok, no_positive or no_negative
};

/// How roc_auc computes its confidence interval.
enum class auc_interval_method {
  /// auc -+ z_{(1+c)/2} se_DeLong, clipped to [0, 1]
  delong,
  /// on the logit scale: expit(logit(auc) -+ z se_DeLong / (auc (1 - auc))), which stays in
  /// (0, 1) and is asymmetric near the bounds; [auc, auc] when auc is 0 or 1 (then se = 0)
  delong_logit,
  /// seeded stratified bootstrap percentile interval (see roc_auc)
  bootstrap,
};

/// "delong", "delong_logit", "bootstrap".
template <>
struct enum_names<auc_interval_method> {
  static constexpr std::array<enum_name<auc_interval_method>, 3> table{{
      {auc_interval_method::delong, "delong"},
      {auc_interval_method::delong_logit, "delong_logit"},
      {auc_interval_method::bootstrap, "bootstrap"},
  }};
};

struct roc_auc_options {
  auc_interval_method method = auc_interval_method::delong;
  double confidence = 0.95;                ///< in (0, 1)
  std::size_t bootstrap_resamples = 2000;  ///< B >= 1 (bootstrap only)
  std::uint64_t seed = 0;                  ///< same seed, same interval (bootstrap only)
};

/// The AUC with its standard error and confidence interval.
struct roc_auc_result {
  std::size_t positives = 0;
  std::size_t negatives = 0;
  double auc = std::numeric_limits<double>::quiet_NaN();
  /// DeLong's standard error (whatever the interval method); NaN with fewer than two positives
  /// or negatives.
  double se = std::numeric_limits<double>::quiet_NaN();
  double low = std::numeric_limits<double>::quiet_NaN();   ///< interval, by `method`
  double high = std::numeric_limits<double>::quiet_NaN();  ///< interval, by `method`
  auc_interval_method method = auc_interval_method::delong;
  roc_status status = roc_status::no_positive;
};

/// DeLong's test of the difference of two AUCs computed on the same cases.
struct auc_comparison {
  std::size_t positives = 0;
  std::size_t negatives = 0;
  double auc_a = std::numeric_limits<double>::quiet_NaN();
  double auc_b = std::numeric_limits<double>::quiet_NaN();
  double difference = std::numeric_limits<double>::quiet_NaN();  ///< auc_a - auc_b
  double se = std::numeric_limits<double>::quiet_NaN();          ///< DeLong se of the difference
  double z = std::numeric_limits<double>::quiet_NaN();           ///< difference / se
  double p_value = std::numeric_limits<double>::quiet_NaN();     ///< two-sided, 2 (1 - Phi(|z|))
  roc_status status = roc_status::no_positive;
};

namespace detail {

/// Scores copied once into doubles; a missing score throws naming its index.
template <sample R>
[[nodiscard]] std::vector<double> roc_scores_of(R&& scores, const char* function,
                                                const char* argument) {
  std::vector<double> values = sample_values(scores);
  for (std::size_t i = 0; i < values.size(); ++i) {
    DISCGEOM_PRECONDITION(!std::isnan(values[i]), function, argument, "[", i,
                          "] is missing (NaN or empty optional); scores may not be missing");
  }
  return values;
}

/// Cases split into positives and negatives, and the groups of tied scores in increasing order.
struct roc_cases {
  std::size_t positives = 0;
  std::size_t negatives = 0;
  std::vector<double> group_score;             ///< distinct scores, increasing
  std::vector<std::size_t> positive_group;     ///< group of the k-th positive (index order)
  std::vector<std::size_t> negative_group;     ///< group of the k-th negative (index order)
  std::vector<std::uint64_t> group_positives;  ///< positives per group
  std::vector<std::uint64_t> group_negatives;  ///< negatives per group
};

[[nodiscard]] inline roc_cases roc_cases_of(std::span<const class_label> truth,
                                            std::span<const double> scores, class_label positive) {
  const std::size_t n = truth.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
  std::vector<std::size_t> group_of(n);
  roc_cases cases;
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = order[k];
    if (k == 0 || scores[i] != cases.group_score.back()) {
      cases.group_score.push_back(scores[i]);
      cases.group_positives.push_back(0);
      cases.group_negatives.push_back(0);
    }
    const std::size_t g = cases.group_score.size() - 1;
    group_of[i] = g;
    ++(truth[i] == positive ? cases.group_positives[g] : cases.group_negatives[g]);
  }
  for (std::size_t i = 0; i < n; ++i) {
    (truth[i] == positive ? cases.positive_group : cases.negative_group).push_back(group_of[i]);
  }
  cases.positives = cases.positive_group.size();
  cases.negatives = cases.negative_group.size();
  return cases;
}

/// 2 U, twice the Mann-Whitney count of (positive, negative) pairs ordered correctly with ties
/// counted one half, from per-group positive and negative weights (exact in integers).
[[nodiscard]] inline std::uint64_t twice_mann_whitney(std::span<const std::uint64_t> positives,
                                                      std::span<const std::uint64_t> negatives) {
  std::uint64_t twice_u = 0;
  std::uint64_t negatives_below = 0;
  for (std::size_t g = 0; g < positives.size(); ++g) {
    twice_u += positives[g] * (2 * negatives_below + negatives[g]);
    negatives_below += negatives[g];
  }
  return twice_u;
}

[[nodiscard]] inline double auc_of(const roc_cases& cases) {
  const std::uint64_t twice_u = twice_mann_whitney(cases.group_positives, cases.group_negatives);
  return static_cast<double>(twice_u) /
         (2.0 * static_cast<double>(cases.positives) * static_cast<double>(cases.negatives));
}

/// DeLong's placement values, kept as exact integers: for the k-th positive, twice the number of
/// negatives it outscores plus the negatives it ties (V10 = positive[k] / (2 n)); for the k-th
/// negative, twice the number of positives that outscore it plus those it ties (V01 =
/// negative[k] / (2 m)). Working on the integers keeps a constant placement exactly constant.
struct placements {
  std::vector<double> positive;  ///< 2 n V10, one per positive, index order
  std::vector<double> negative;  ///< 2 m V01, one per negative, index order
};

[[nodiscard]] inline placements placements_of(const roc_cases& cases) {
  const std::size_t groups = cases.group_score.size();
  std::vector<std::uint64_t> twice_negatives_below(groups);
  std::vector<std::uint64_t> twice_positives_above(groups);
  std::uint64_t below = 0;
  for (std::size_t g = 0; g < groups; ++g) {
    twice_negatives_below[g] = 2 * below + cases.group_negatives[g];
    below += cases.group_negatives[g];
  }
  std::uint64_t above = 0;
  for (std::size_t g = groups; g-- > 0;) {
    twice_positives_above[g] = 2 * above + cases.group_positives[g];
    above += cases.group_positives[g];
  }
  placements v;
  v.positive.reserve(cases.positives);
  v.negative.reserve(cases.negatives);
  for (std::size_t g : cases.positive_group) {
    v.positive.push_back(static_cast<double>(twice_negatives_below[g]));
  }
  for (std::size_t g : cases.negative_group) {
    v.negative.push_back(static_cast<double>(twice_positives_above[g]));
  }
  return v;
}

/// Sample covariance (n - 1) of two equally long vectors, two-pass.
[[nodiscard]] inline double sample_covariance(std::span<const double> a,
                                              std::span<const double> b) {
  const double n = static_cast<double>(a.size());
  double mean_a = 0.0;
  double mean_b = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    mean_a += a[i];
    mean_b += b[i];
  }
  mean_a /= n;
  mean_b /= n;
  double sum = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sum += (a[i] - mean_a) * (b[i] - mean_b);
  }
  return sum / (n - 1.0);
}

/// DeLong's covariance of two AUCs on the same cases: S10 / m + S01 / n, S10 and S01 the sample
/// covariances of the placement values of the m positives and n negatives (a = b: the variance).
[[nodiscard]] inline double delong_covariance(const placements& a, const placements& b) {
  const double m = static_cast<double>(a.positive.size());
  const double n = static_cast<double>(a.negative.size());
  return sample_covariance(a.positive, b.positive) / (4.0 * n * n * m) +
         sample_covariance(a.negative, b.negative) / (4.0 * m * m * n);
}

[[nodiscard]] inline double normal_upper_quantile(double confidence) {
  return boost::math::quantile(boost::math::normal_distribution<double>(),
                               0.5 * (1.0 + confidence));
}

template <sample Truth, sample Scores>
[[nodiscard]] roc_cases roc_cases_of_samples(Truth&& truth, Scores&& scores, class_label positive,
                                             const char* function) {
  check_paired_lengths(std::ranges::size(truth), std::ranges::size(scores), function, "truth",
                       "scores");
  const std::vector<class_label> t = class_labels_of(truth, function, "truth");
  const std::vector<double> s = roc_scores_of(scores, function, "scores");
  return roc_cases_of(t, s, positive);
}

[[nodiscard]] inline roc_status class_status(const roc_cases& cases) noexcept {
  if (cases.positives == 0) {
    return roc_status::no_positive;
  }
  if (cases.negatives == 0) {
    return roc_status::no_negative;
  }
  if (cases.positives < 2 || cases.negatives < 2) {
    return roc_status::single_positive_or_negative;
  }
  return roc_status::ok;
}

/// The stratified bootstrap percentile interval of the AUC (algorithm in roc_auc's comment).
[[nodiscard]] inline std::pair<double, double> bootstrap_auc_interval(
    const roc_cases& cases, const roc_auc_options& options) {
  std::mt19937_64 generator(options.seed);
  const std::size_t groups = cases.group_score.size();
  std::vector<std::uint64_t> positives(groups);
  std::vector<std::uint64_t> negatives(groups);
  std::vector<double> aucs(options.bootstrap_resamples);
  const double pairs =
      2.0 * static_cast<double>(cases.positives) * static_cast<double>(cases.negatives);
  for (double& auc : aucs) {
    std::fill(positives.begin(), positives.end(), 0);
    std::fill(negatives.begin(), negatives.end(), 0);
    for (std::size_t k = 0; k < cases.positives; ++k) {
      ++positives[cases.positive_group[uniform_below(generator, cases.positives)]];
    }
    for (std::size_t k = 0; k < cases.negatives; ++k) {
      ++negatives[cases.negative_group[uniform_below(generator, cases.negatives)]];
    }
    auc = static_cast<double>(twice_mann_whitney(positives, negatives)) / pairs;
  }
  const double upper_tail = 0.5 * (1.0 + options.confidence);
  const double low = linear_quantile(aucs, 1.0 - upper_tail);
  const double high = linear_quantile(aucs, upper_tail);
  return {low, high};
}

}  // namespace detail

/// The ROC curve of `scores` for the class `positive`, one point per distinct score: for each
/// threshold t, taken from the distinct scores in decreasing order, the cases with score >= t are
/// called positive and
///   TPR(t) = #{positives with score >= t} / #positives,
///   FPR(t) = #{negatives with score >= t} / #negatives,
/// preceded by the point (0, 0) at threshold +infinity (Fawcett, Pattern Recognit Lett 27:861,
/// 2006). This is sklearn.metrics.roc_curve with drop_intermediate=False; scikit-learn >= 1.3
/// also starts at +infinity (1.2 wrote max(score) + 1). Infinite scores are allowed (a score of
/// +infinity makes a second point at threshold +infinity).
///
/// \tparam Truth   `sample` of integer labels; Scores: `sample` of numbers
/// \param truth     the class of every case (positive when equal to `positive`, else negative)
/// \param scores    the score of every case, larger meaning more likely positive
/// \param positive  the positive class
/// \returns points from (0, 0) to (1, 1) (FPR NaN when no negative, TPR NaN when no positive),
///          the class counts and a status (ok, no_positive, no_negative)
/// \throws precondition_error when lengths differ or are zero, a label is missing or not an
///         integer, or a score is missing (NaN or empty optional), naming the index and value
/// Complexity: O(n log n).
///
///   const auto roc = discgeom::roc_curve(truth, probability, 1);
///   for (const auto& p : roc.points) std::cout << p.fpr << ' ' << p.tpr << '\n';
template <sample Truth, sample Scores>
[[nodiscard]] roc_curve_result roc_curve(Truth&& truth, Scores&& scores, class_label positive) {
  const detail::roc_cases cases =
      detail::roc_cases_of_samples(truth, scores, positive, "roc_curve");
  roc_curve_result result;
  result.positives = cases.positives;
  result.negatives = cases.negatives;
  result.status = detail::class_status(cases);
  if (result.status == roc_status::single_positive_or_negative) {
    result.status = roc_status::ok;
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto rate = [nan](std::uint64_t count, std::size_t total) {
    return total == 0 ? nan : static_cast<double>(count) / static_cast<double>(total);
  };
  const std::size_t groups = cases.group_score.size();
  result.points.reserve(groups + 1);
  result.points.push_back({std::numeric_limits<double>::infinity(), rate(0, cases.negatives),
                           rate(0, cases.positives), 0, 0});
  std::uint64_t tp = 0;
  std::uint64_t fp = 0;
  for (std::size_t g = groups; g-- > 0;) {
    tp += cases.group_positives[g];
    fp += cases.group_negatives[g];
    result.points.push_back(
        {cases.group_score[g], rate(fp, cases.negatives), rate(tp, cases.positives), fp, tp});
  }
  return result;
}

/// The area under the ROC curve with DeLong's standard error and a confidence interval.
///
/// AUC = U / (m n), the Mann-Whitney statistic of the m positives against the n negatives:
/// U = sum over (positive i, negative j) of [s_i > s_j] + [s_i = s_j] / 2 (Bamber, J Math Psychol
/// 12:387, 1975; Hanley & McNeil 1982), equal to the trapezoidal area under roc_curve. Computed
/// exactly in integers from one sort, then one division.
///
/// Standard error (DeLong, DeLong & Clarke-Pearson, Biometrics 44:837, 1988): with placement
/// values V10_i = (1/n) sum_j psi(s_i, s_j) for each positive and V01_j = (1/m) sum_i psi(s_i,
/// s_j) for each negative (psi = 1, 1/2, 0 for >, =, <), obtained from the ranks of the sorted
/// scores in O(n log n) as in Sun & Xu (2014), var(AUC) = S10 / m + S01 / n with S10, S01 the
/// sample variances (denominators m - 1, n - 1). Needs m, n >= 2.
///
/// Interval (options.method, confidence c, z = Phi^-1((1 + c) / 2)):
///  - delong: [max(0, auc - z se), min(1, auc + z se)];
///  - delong_logit: expit(logit(auc) -+ z se / (auc (1 - auc))) ([auc, auc] at auc 0 or 1);
///  - bootstrap: percentile interval of B stratified resamples. One std::mt19937_64 seeded with
///    options.seed; for each resample, m draws detail::uniform_below(m) pick the positives (in
///    the order of their indices in truth), then n draws uniform_below(n) the negatives; its AUC
///    is computed as above; low and high are the (1 - c)/2 and (1 + c)/2 linear (numpy default)
///    quantiles of the B AUCs. Positives and negatives are resampled separately so each resample
///    keeps m and n (Carpenter & Bithell, Stat Med 19:1141, 2000).
///
/// \param truth, scores, positive  as roc_curve
/// \param options  method, confidence, bootstrap_resamples and seed
/// \returns auc, se, low, high; status no_positive / no_negative (all NaN) or
///          single_positive_or_negative (auc defined, se and DeLong interval NaN)
/// \throws precondition_error as roc_curve, or when confidence is not in (0, 1) or
///         bootstrap_resamples is 0
/// Complexity: O(n log n), plus O(B n) for the bootstrap.
///
///   const auto r = discgeom::roc_auc(truth, probability, 1);
///   std::cout << r.auc << " [" << r.low << ", " << r.high << "]\n";
template <sample Truth, sample Scores>
[[nodiscard]] roc_auc_result roc_auc(Truth&& truth, Scores&& scores, class_label positive,
                                     const roc_auc_options& options = {}) {
  detail::check_confidence(options.confidence, "roc_auc");
  DISCGEOM_PRECONDITION(options.bootstrap_resamples >= 1, "roc_auc",
                        "options.bootstrap_resamples must be at least 1, got 0");
  const detail::roc_cases cases = detail::roc_cases_of_samples(truth, scores, positive, "roc_auc");
  roc_auc_result result;
  result.positives = cases.positives;
  result.negatives = cases.negatives;
  result.method = options.method;
  result.status = detail::class_status(cases);
  if (result.status == roc_status::no_positive || result.status == roc_status::no_negative) {
    return result;
  }
  result.auc = detail::auc_of(cases);
  if (result.status == roc_status::ok) {
    const detail::placements v = detail::placements_of(cases);
    result.se = std::sqrt(detail::delong_covariance(v, v));
  }
  const double z = detail::normal_upper_quantile(options.confidence);
  switch (options.method) {
    case auc_interval_method::delong:
      result.low = std::max(0.0, result.auc - z * result.se);
      result.high = std::min(1.0, result.auc + z * result.se);
      if (std::isnan(result.se)) {
        result.low = result.high = std::numeric_limits<double>::quiet_NaN();
      }
      break;
    case auc_interval_method::delong_logit:
      if (std::isnan(result.se)) {
        break;
      }
      if (result.auc <= 0.0 || result.auc >= 1.0) {
        result.low = result.high = result.auc;
      } else {
        const double logit = std::log(result.auc / (1.0 - result.auc));
        const double half = z * result.se / (result.auc * (1.0 - result.auc));
        result.low = 1.0 / (1.0 + std::exp(-(logit - half)));
        result.high = 1.0 / (1.0 + std::exp(-(logit + half)));
      }
      break;
    case auc_interval_method::bootstrap: {
      const auto [low, high] = detail::bootstrap_auc_interval(cases, options);
      result.low = low;
      result.high = high;
      break;
    }
  }
  return result;
}

/// DeLong's test of H0: AUC_a = AUC_b for two scores of the same cases (DeLong et al. 1988):
/// with the placement values of both scores, the covariance of (AUC_a, AUC_b) is
/// S10 / m + S01 / n, S10 and S01 the 2x2 sample covariance matrices of the positives' and the
/// negatives' placements; var(a - b) = var_a + var_b - 2 cov_ab, z = (a - b) / sqrt(var(a - b)),
/// p = 2 (1 - Phi(|z|)).
///
/// \param truth, positive  as roc_curve; scores_a, scores_b: two `sample`s of scores
/// \returns both AUCs, the difference, its se, z and the two-sided p value; status
///          no_positive / no_negative (all NaN), single_positive_or_negative (AUCs only) or
///          zero_variance (se = 0: z and p NaN)
/// \throws precondition_error as roc_curve (for either score, naming scores_a or scores_b)
/// Complexity: O(n log n).
///
///   const auto t = discgeom::compare_roc_auc(truth, model_a, model_b, 1);
///   std::cout << "AUC difference " << t.difference << ", p = " << t.p_value << '\n';
template <sample Truth, sample ScoresA, sample ScoresB>
[[nodiscard]] auc_comparison compare_roc_auc(Truth&& truth, ScoresA&& scores_a, ScoresB&& scores_b,
                                             class_label positive) {
  constexpr const char* function = "compare_roc_auc";
  detail::check_paired_lengths(std::ranges::size(truth), std::ranges::size(scores_a), function,
                               "truth", "scores_a");
  detail::check_paired_lengths(std::ranges::size(truth), std::ranges::size(scores_b), function,
                               "truth", "scores_b");
  const std::vector<class_label> t = detail::class_labels_of(truth, function, "truth");
  const std::vector<double> a = detail::roc_scores_of(scores_a, function, "scores_a");
  const std::vector<double> b = detail::roc_scores_of(scores_b, function, "scores_b");
  const detail::roc_cases cases_a = detail::roc_cases_of(t, a, positive);
  const detail::roc_cases cases_b = detail::roc_cases_of(t, b, positive);
  auc_comparison result;
  result.positives = cases_a.positives;
  result.negatives = cases_a.negatives;
  result.status = detail::class_status(cases_a);
  if (result.status == roc_status::no_positive || result.status == roc_status::no_negative) {
    return result;
  }
  result.auc_a = detail::auc_of(cases_a);
  result.auc_b = detail::auc_of(cases_b);
  result.difference = result.auc_a - result.auc_b;
  if (result.status != roc_status::ok) {
    return result;
  }
  const detail::placements va = detail::placements_of(cases_a);
  const detail::placements vb = detail::placements_of(cases_b);
  // var(a - b) = var_a + var_b - 2 cov_ab, computed as the variance of the differences of the
  // (integer) placements so that a constant difference gives exactly zero.
  detail::placements difference;
  for (std::size_t i = 0; i < va.positive.size(); ++i) {
    difference.positive.push_back(va.positive[i] - vb.positive[i]);
  }
  for (std::size_t j = 0; j < va.negative.size(); ++j) {
    difference.negative.push_back(va.negative[j] - vb.negative[j]);
  }
  const double variance = detail::delong_covariance(difference, difference);
  result.se = std::sqrt(variance);
  if (!(result.se > 0.0)) {
    result.status = roc_status::zero_variance;
    return result;
  }
  result.z = result.difference / result.se;
  result.p_value = normal_p_value(result.z, alternative_hypothesis::two_sided);
  return result;
}

}  // namespace discgeom
