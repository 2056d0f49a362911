// SPDX-License-Identifier: MIT
#pragma once
// The tables of `discgeom overlap` (docs/cli.md) and discgeom.overlap (docs/python.md): per label
// of a pair of label maps (with the matched structure when asked), or the SPIDER challenge's
// scores of a pair. The program puts a "case" column in front for folders (cli::case_columns,
// cli::case_row); the module returns them as they are.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cells.hpp"
#include "discgeom/enum_names.hpp"
#include "discgeom/metrics/evaluate.hpp"
#include "discgeom/metrics/matching.hpp"
#include "discgeom/metrics/spider_challenge.hpp"

namespace discgeom::rows {

/// The per-label columns (the contract's), in order.
inline const std::vector<std::string>& overlap_columns() {
  static const std::vector<std::string> columns{"label",
                                                "reference_voxels",
                                                "prediction_voxels",
                                                "tp",
                                                "fp",
                                                "fn",
                                                "dice",
                                                "iou",
                                                "precision",
                                                "recall",
                                                "hd_mm",
                                                "hd95_mm",
                                                "assd_mm",
                                                "masd_mm",
                                                "nsd",
                                                "status"};
  return columns;
}

/// The columns a match adds after overlap_columns() (match_structures, metrics/matching.hpp).
inline const std::vector<std::string>& overlap_match_columns() {
  static const std::vector<std::string> columns{"matched_label", "matched_dice", "detected"};
  return columns;
}

/// One evaluated label of a pair, with its matched structure when matching was asked and the
/// label has one.
struct overlap_record {
  label_evaluation evaluation{};
  std::optional<structure_match> match;
};

/// The records of a pair: each evaluation (evaluate_segmentation's order) with the match of its
/// label from `matches`, when given.
inline std::vector<overlap_record> overlap_records(const std::vector<label_evaluation>& evaluations,
                                                   const std::optional<matching>& matches) {
  std::vector<overlap_record> records;
  for (const auto& e : evaluations) {
    overlap_record record{e, std::nullopt};
    if (matches)
      for (const auto& m : matches->matches)
        if (m.reference == e.label)
          record.match = m;
    records.push_back(record);
  }
  return records;
}

/// The row of one record: overlap_columns(), then overlap_match_columns() when `with_match`
/// (matched_label missing when the match is the background, all three missing without a match;
/// detected 1 or 0). Distances keep their value, an infinite Hausdorff distance included.
inline row overlap_row(const overlap_record& record, bool with_match) {
  const auto& e = record.evaluation;
  const auto& c = e.overlap.counts;
  row out{count(e.label),
          count(c.reference_voxels()),
          count(c.prediction_voxels()),
          count(c.tp),
          count(c.fp),
          count(c.fn),
          number(e.overlap.dice),
          number(e.overlap.iou),
          number(e.overlap.precision),
          number(e.overlap.recall),
          number(e.surface.hausdorff_mm),
          number(e.surface.hausdorff_percentile_mm),
          number(e.surface.assd_mm),
          number(e.surface.masd_mm),
          number(e.surface.nsd),
          text(std::string(to_string(e.overlap.status)))};
  if (with_match) {
    if (record.match) {
      out.push_back(record.match->prediction == 0 ? cell{} : count(record.match->prediction));
      out.push_back(number(record.match->dice));
      out.push_back(number(record.match->detected ? 1.0 : 0.0));
    } else {
      out.insert(out.end(), 3, cell{});
    }
  }
  return out;
}

/// The columns of the SPIDER challenge's scores: its ten keys (spider_challenge_key), status.
inline std::vector<std::string> spider_challenge_columns() {
  std::vector<std::string> columns;
  for (const auto& key : enum_names<spider_challenge_key>::table)
    columns.emplace_back(key.name);
  columns.emplace_back("status");
  return columns;
}

/// The row of one pair's challenge scores, in spider_challenge_columns()'s order.
inline row spider_challenge_row(const spider_challenge_scores& scores) {
  row out;
  for (const auto& key : enum_names<spider_challenge_key>::table)
    out.push_back(number(scores[key.value]));
  out.push_back(text(std::string(to_string(scores.status))));
  return out;
}

}  // namespace discgeom::rows
