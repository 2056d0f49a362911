// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// A subject-specific lumbar spine in an OpenSim model (Hess et al. built theirs from measured
/// centroids): each intervertebral joint is moved so that, in the default pose, the joint centres
/// in ground follow the subject's disc centroids, anchored at one level (L5/S1: the subject's
/// L5/S1 centroid sits on the model's L5/S1 joint centre). LPS millimetres map to OpenSim's axes
/// by lps_mm_to_opensim_m. Muscles are scaled by the ratio of the subject's cross-sectional area
/// to the model's reference area. Definitions: docs/opensim.md.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "discgeom/error.hpp"
#include "discgeom/opensim/model.hpp"

namespace discgeom::opensim {

/// Where a joint's centre must be in ground (m, default pose).
struct joint_target {
  std::string joint;
  vec3 ground_m{};
};

/// A joint after move_joint_centres: its location_in_parent before and after.
struct joint_move {
  std::string joint;
  vec3 old_location{}, new_location{};
  bool changed = false;  ///< some coordinate moved by more than 1e-12 m
};

/// Christophy et al.'s joint name of a disc level: "L4/L5" -> "L4_L5_IVDjnt".
[[nodiscard]] inline std::string christophy_joint_name(const std::string& level) {
  std::string name = level;
  std::replace(name.begin(), name.end(), '/', '_');
  return name + "_IVDjnt";
}

/// The targets of the joints of `levels` (level -> the subject's disc centroid, LPS mm), anchored
/// at `anchor`: target_j = centre of the anchor joint in the model + lps_mm_to_opensim_m(c_j -
/// c_anchor). `joint_of` names each level's joint.
/// \throws precondition_error when the anchor level has no centroid or no joint in the model
template <class JointOf>
[[nodiscard]] std::vector<joint_target> disc_joint_targets(
    const model& m, const std::map<std::string, vec3>& levels, const std::string& anchor,
    JointOf&& joint_of) {
  const auto anchor_centroid = levels.find(anchor);
  DISCGEOM_PRECONDITION(anchor_centroid != levels.end(), "disc_joint_targets", "anchor level '",
                        anchor, "' has no disc centroid");
  const joint* anchor_joint = m.find_joint(joint_of(anchor));
  DISCGEOM_PRECONDITION(anchor_joint != nullptr, "disc_joint_targets", "anchor joint '",
                        joint_of(anchor), "' is not in ", m.source());
  const vec3 origin = m.joint_centre_in_ground(*anchor_joint);
  std::vector<joint_target> targets;
  for (const auto& [level, centroid] : levels) {
    const vec3 offset = lps_mm_to_opensim_m({centroid[0] - anchor_centroid->second[0],
                                             centroid[1] - anchor_centroid->second[1],
                                             centroid[2] - anchor_centroid->second[2]});
    targets.push_back(
        {joint_of(level), {origin[0] + offset[0], origin[1] + offset[1], origin[2] + offset[2]}});
  }
  return targets;
}

/// Moves each target's joint so that its centre in ground, default pose, is the target: its
/// location_in_parent becomes inverse(parent body in ground) applied to the target. Joints are
/// moved from the root of the chain outwards, so each parent frame already holds the moves above
/// it; the child side (location in the child body) is kept, so the child body and everything
/// below it move with the joint. Returns one entry per target, in chain order.
/// \throws precondition_error for a target whose joint is not in the model
[[nodiscard]] inline std::vector<joint_move> move_joint_centres(
    model& m, const std::vector<joint_target>& targets) {
  for (const auto& target : targets)
    DISCGEOM_PRECONDITION(m.find_joint(target.joint) != nullptr, "move_joint_centres", "joint '",
                          target.joint, "' is not in ", m.source());
  const auto depth = [&](const std::string& joint_name) {
    const joint* j = m.find_joint(joint_name);
    std::size_t d = 0;
    std::string body = j->parent_body;
    for (const joint* up = nullptr; d <= m.joints().size(); ++d, body = up->parent_body) {
      const auto found = std::find_if(m.joints().begin(), m.joints().end(),
                                      [&](const joint& k) { return k.child_body == body; });
      if (found == m.joints().end())
        break;
      up = &*found;
    }
    return d;
  };
  std::vector<joint_target> ordered = targets;
  std::stable_sort(ordered.begin(), ordered.end(),
                   [&](const auto& a, const auto& b) { return depth(a.joint) < depth(b.joint); });
  std::vector<joint_move> moves;
  for (const auto& target : ordered) {
    const joint& j = *m.find_joint(target.joint);
    const vec3 location =
        transform_point(inverse(m.body_in_ground(j.parent_body)), target.ground_m);
    joint_move move{target.joint, j.location_in_parent, location, false};
    for (std::size_t d = 0; d < 3; ++d)
      move.changed = move.changed || std::abs(location[d] - move.old_location[d]) > 1e-12;
    if (move.changed)
      m.set_location_in_parent(target.joint, location);
    moves.push_back(move);
  }
  return moves;
}

}  // namespace discgeom::opensim
