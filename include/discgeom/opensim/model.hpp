// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// An OpenSim model file (.osim, the OpenSim 3 layout of Christophy et al.'s lumbar model: each
/// Body holds the Joint to its parent) read and written through pugixml, so that a subject-
/// specific copy changes only the elements it means to: joint locations and muscle forces. The
/// rest of the file, comments and whitespace included, is written back byte for byte.
///
/// Needs pugixml (Debian libpugixml-dev; link pugixml::pugixml). Joint frames: frames.hpp.
/// Definitions and what OpenSim would do next: docs/opensim.md.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <pugixml.hpp>

#include "discgeom/detail/atomic_file.hpp"
#include "discgeom/error.hpp"
#include "discgeom/opensim/frames.hpp"

namespace discgeom::opensim {

/// One joint: the frame it puts in its parent body, the frame in its child body, and its motion
/// in the model's default pose (every coordinate at its default_value).
struct joint {
  std::string name;
  std::string type;  ///< CustomJoint, PinJoint or WeldJoint
  std::string parent_body;
  std::string child_body;
  vec3 location_in_parent{}, orientation_in_parent{}, location{}, orientation{};
  rigid_transform default_motion;  ///< X_FM: the child's joint frame M in the parent's F
};

/// A muscle (any force element with max_isometric_force).
struct muscle {
  std::string name;
  std::string type;
  double max_isometric_force = 0.0;  ///< N
};

namespace detail {

/// "a b c" as three finite numbers. \throws io_error naming the element
inline vec3 parse_vec3(const pugi::xml_node& node, const std::string& where) {
  std::istringstream text(node.text().as_string());
  vec3 v{};
  for (auto& value : v) {
    std::string word;
    if (!(text >> word))
      ::discgeom::detail::throw_error<io_error>("opensim::model", where, ": <", node.name(),
                                                "> must hold three numbers");
    char* end = nullptr;
    value = std::strtod(word.c_str(), &end);
    if (end == word.c_str() || *end != '\0' || !std::isfinite(value))
      ::discgeom::detail::throw_error<io_error>("opensim::model", where, ": <", node.name(),
                                                "> holds '", word, "', not a finite number");
  }
  return v;
}

/// The number in an element's text. \throws io_error naming the element
inline double parse_number(const pugi::xml_node& node, const std::string& where) {
  const std::string text = node.text().as_string();
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  while (end && *end == ' ')
    ++end;
  if (end == text.c_str() || (end && *end != '\0') || !std::isfinite(value))
    ::discgeom::detail::throw_error<io_error>("opensim::model", where, ": <", node.name(),
                                              "> holds '", text, "', not a finite number");
  return value;
}

/// The first element child of a node (skipping whitespace and comments), or a null node.
inline pugi::xml_node first_element(const pugi::xml_node& node) {
  for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
    if (child.type() == pugi::node_element)
      return child;
  }
  return {};
}

/// Three numbers with 17 significant digits, as the model file writes them.
inline std::string format_vec3(const vec3& v) {
  std::string text;
  for (const double value : v) {
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, " %.17g", value == 0.0 ? 0.0 : value);
    text += buffer;
  }
  return text + " ";
}

}  // namespace detail

/// An OpenSim 3 model file, kept as parsed XML plus the bytes around its root element.
class model {
 public:
  /// Reads and checks a model: every Body's Joint (CustomJoint, PinJoint, WeldJoint) with its
  /// frames, and its default-pose motion.
  /// \throws io_error naming the file and what is wrong: not XML, no BodySet, OpenSim 4's
  ///         JointSet layout, a joint type or transform function this reader does not evaluate,
  ///         a number that is not finite
  [[nodiscard]] static model load(const std::filesystem::path& file) {
    model m;
    m.source_ = file.string();
    std::ifstream in(file, std::ios::binary);
    if (!in)
      ::discgeom::detail::throw_error<io_error>("opensim::model::load", m.source_,
                                                ": cannot be opened for reading");
    m.bytes_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    m.document_ = std::make_unique<pugi::xml_document>();
    const auto parsed = m.document_->load_buffer(m.bytes_.data(), m.bytes_.size(),
                                                 pugi::parse_full | pugi::parse_ws_pcdata);
    if (!parsed)
      ::discgeom::detail::throw_error<io_error>("opensim::model::load", m.source_,
                                                ": not XML: ", parsed.description(), " at byte ",
                                                parsed.offset);
    const pugi::xml_node root = m.document_->document_element();
    if (std::string_view(root.name()) != "OpenSimDocument")
      ::discgeom::detail::throw_error<io_error>("opensim::model::load", m.source_,
                                                ": the root element is <", root.name(),
                                                ">, not <OpenSimDocument>");
    if (root.select_node("//JointSet/objects/*"))
      ::discgeom::detail::throw_error<io_error>(
          "opensim::model::load", m.source_,
          ": an OpenSim 4 model (joints in a JointSet); this reader takes the OpenSim 3 layout, "
          "joints inside their child Body");
    const auto bodies = root.select_nodes("//BodySet/objects/Body");
    if (bodies.empty())
      ::discgeom::detail::throw_error<io_error>("opensim::model::load", m.source_,
                                                ": no <BodySet> with bodies");
    for (const auto& selected : bodies) {
      const pugi::xml_node body = selected.node();
      m.bodies_.emplace_back(body.attribute("name").as_string());
      const pugi::xml_node element = detail::first_element(body.child("Joint"));
      if (!element)
        continue;  // ground, or a body without a joint
      m.joints_.push_back(m.read_joint(element, body.attribute("name").as_string()));
      m.joint_nodes_.push_back(element);
    }
    for (const auto& selected : root.select_nodes("//*[max_isometric_force]")) {
      const pugi::xml_node node = selected.node();
      const std::string where =
          m.source_ + ": " + node.name() + " '" + node.attribute("name").as_string() + "'";
      m.muscles_.push_back({node.attribute("name").as_string(), node.name(),
                            detail::parse_number(node.child("max_isometric_force"), where)});
      m.muscle_nodes_.push_back(node);
    }
    return m;
  }

  [[nodiscard]] const std::string& source() const noexcept { return source_; }
  [[nodiscard]] const std::vector<joint>& joints() const noexcept { return joints_; }
  [[nodiscard]] const std::vector<muscle>& muscles() const noexcept { return muscles_; }
  [[nodiscard]] const std::vector<std::string>& bodies() const noexcept { return bodies_; }

  /// The joint called `name`, or nullptr.
  [[nodiscard]] const joint* find_joint(std::string_view name) const noexcept {
    const auto found = std::find_if(joints_.begin(), joints_.end(),
                                    [&](const joint& j) { return j.name == name; });
    return found == joints_.end() ? nullptr : &*found;
  }

  /// The frame of `body` in ground in the default pose: the composition along its chain of
  /// X_PF (location/orientation in parent) X_FM (the default motion) X_MB (the inverse of the
  /// location/orientation in the child). Ground, and a body without a joint, is the identity.
  /// \throws precondition_error for an unknown body or a cycle
  [[nodiscard]] rigid_transform body_in_ground(std::string_view body) const {
    rigid_transform frame;
    std::string current(body);
    for (std::size_t depth = 0; depth <= joints_.size(); ++depth) {
      const auto found = std::find_if(joints_.begin(), joints_.end(),
                                      [&](const joint& j) { return j.child_body == current; });
      if (found == joints_.end()) {
        DISCGEOM_PRECONDITION(std::find(bodies_.begin(), bodies_.end(), current) != bodies_.end(),
                              "opensim::model::body_in_ground", "body '", current, "' is not in ",
                              source_);
        return frame;
      }
      const rigid_transform step =
          compose(compose(frame_in_body(found->location_in_parent, found->orientation_in_parent),
                          found->default_motion),
                  inverse(frame_in_body(found->location, found->orientation)));
      frame = compose(step, frame);
      current = found->parent_body;
    }
    DISCGEOM_PRECONDITION(false, "opensim::model::body_in_ground", "the joints of ", source_,
                          " form a cycle through body '", body, "'");
    return frame;
  }

  /// The joint's centre in ground (m), default pose: its parent frame's origin.
  [[nodiscard]] vec3 joint_centre_in_ground(const joint& j) const {
    return transform_point(body_in_ground(j.parent_body), j.location_in_parent);
  }

  /// Moves a joint's frame in its parent body (location_in_parent, metres, 17 digits).
  /// \throws precondition_error for an unknown joint or a non-finite location
  void set_location_in_parent(std::string_view name, const vec3& location) {
    const auto at = index_of(name, "set_location_in_parent");
    for (const double v : location)
      DISCGEOM_PRECONDITION(std::isfinite(v), "opensim::model::set_location_in_parent",
                            "location of '", name, "' must be finite, got ", v);
    joints_[at].location_in_parent = location;
    joint_nodes_[at].child("location_in_parent").text().set(detail::format_vec3(location).c_str());
  }

  /// Sets a muscle's max_isometric_force (N, 17 digits).
  /// \throws precondition_error for an unknown muscle or a force that is not finite and positive
  void set_max_isometric_force(std::string_view name, double force) {
    const auto found = std::find_if(muscles_.begin(), muscles_.end(),
                                    [&](const muscle& m) { return m.name == name; });
    DISCGEOM_PRECONDITION(found != muscles_.end(), "opensim::model::set_max_isometric_force",
                          "no muscle '", name, "' in ", source_);
    DISCGEOM_PRECONDITION(std::isfinite(force) && force > 0.0,
                          "opensim::model::set_max_isometric_force", "force of '", name,
                          "' must be finite and positive, got ", force);
    found->max_isometric_force = force;
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, " %.17g ", force);
    muscle_nodes_[static_cast<std::size_t>(found - muscles_.begin())]
        .child("max_isometric_force")
        .text()
        .set(buffer);
  }

  /// Writes the model: the bytes before and after the root element as read, the root element as
  /// parsed (with the changes made), through a temporary file and a rename.
  /// \throws io_error when the file cannot be written
  void save(const std::filesystem::path& file) const {
    const pugi::xml_node root = document_->document_element();
    const std::string name = root.name();
    // offset_debug() is the offset of the root's name; its '<' is one byte before.
    const auto start = static_cast<std::size_t>(root.offset_debug());
    const std::string prefix = start > 0 ? bytes_.substr(0, start - 1) : std::string();
    const std::size_t close = bytes_.rfind("</" + name);
    const std::size_t end =
        close == std::string::npos ? std::string::npos : bytes_.find('>', close);
    const std::string suffix = end == std::string::npos ? std::string() : bytes_.substr(end + 1);
    std::ostringstream body;
    root.print(body, "", pugi::format_raw);
    const std::string text = prefix + body.str() + suffix;
    ::discgeom::detail::write_atomically(file, "opensim::model::save",
                                         [&](const std::filesystem::path& temporary) {
                                           std::ofstream out(temporary, std::ios::binary);
                                           out << text;
                                           out.close();
                                           if (!out)
                                             throw std::runtime_error("write failed");
                                         });
  }

 private:
  model() = default;

  std::size_t index_of(std::string_view name, const char* function) const {
    const auto found = std::find_if(joints_.begin(), joints_.end(),
                                    [&](const joint& j) { return j.name == name; });
    if (found == joints_.end())
      ::discgeom::detail::throw_error<precondition_error>(function, "no joint '", name, "' in ",
                                                          source_);
    return static_cast<std::size_t>(found - joints_.begin());
  }

  joint read_joint(const pugi::xml_node& element, const std::string& child_body) const {
    joint j;
    j.type = element.name();
    j.name = element.attribute("name").as_string();
    j.child_body = child_body;
    const std::string where = source_ + ": joint '" + j.name + "'";
    std::istringstream parent(element.child("parent_body").text().as_string());
    parent >> j.parent_body;
    if (j.parent_body.empty())
      ::discgeom::detail::throw_error<io_error>("opensim::model::load", where,
                                                ": no <parent_body>");
    j.location_in_parent = detail::parse_vec3(element.child("location_in_parent"), where);
    j.orientation_in_parent = detail::parse_vec3(element.child("orientation_in_parent"), where);
    j.location = detail::parse_vec3(element.child("location"), where);
    j.orientation = detail::parse_vec3(element.child("orientation"), where);
    if (std::string_view(element.child("reverse").text().as_string()).find("true") !=
        std::string_view::npos)
      ::discgeom::detail::throw_error<io_error>("opensim::model::load", where,
                                                ": reversed joints are not supported");
    std::map<std::string, double> defaults;
    for (const auto& c : element.select_nodes("CoordinateSet/objects/Coordinate")) {
      defaults[c.node().attribute("name").as_string()] =
          detail::parse_number(c.node().child("default_value"), where);
    }
    if (j.type == "WeldJoint")
      return j;
    if (j.type == "PinJoint") {
      if (defaults.size() != 1)
        ::discgeom::detail::throw_error<io_error>("opensim::model::load", where,
                                                  ": a PinJoint needs one coordinate");
      j.default_motion.rotation = axis_rotation({0, 0, 1}, defaults.begin()->second);
      return j;
    }
    if (j.type != "CustomJoint")
      ::discgeom::detail::throw_error<io_error>(
          "opensim::model::load", where, ": joint type ", j.type,
          " is not supported (CustomJoint, PinJoint and WeldJoint are)");
    // CustomJoint: rotations 1-3 about their axes in sequence (body-fixed), then the translation
    // sum of t_i axis_i, each value its function of the coordinates' default values.
    mat3 rotation = rigid_transform{}.rotation;
    vec3 translation{0, 0, 0};
    for (const auto& selected : element.select_nodes("SpatialTransform/TransformAxis")) {
      const pugi::xml_node axis_node = selected.node();
      const std::string axis_name = axis_node.attribute("name").as_string();
      const vec3 axis = detail::parse_vec3(axis_node.child("axis"), where + " " + axis_name);
      std::istringstream names(axis_node.child("coordinates").text().as_string());
      std::vector<std::string> coordinates;
      for (std::string n; names >> n;)
        coordinates.push_back(n);
      const pugi::xml_node function = detail::first_element(axis_node.child("function"));
      const std::string function_type = function.name();
      double value = 0.0;
      if (function_type == "Constant") {
        value = detail::parse_number(function.child("value"), where + " " + axis_name);
      } else if (function_type == "LinearFunction" && coordinates.size() == 1 &&
                 defaults.count(coordinates[0])) {
        std::istringstream coefficients(function.child("coefficients").text().as_string());
        double slope = 0.0, intercept = 0.0;
        if (!(coefficients >> slope >> intercept))
          ::discgeom::detail::throw_error<io_error>("opensim::model::load", where, " ", axis_name,
                                                    ": a LinearFunction needs two coefficients");
        value = slope * defaults[coordinates[0]] + intercept;
      } else {
        ::discgeom::detail::throw_error<io_error>(
            "opensim::model::load", where, " ", axis_name, ": the function <", function_type,
            "> of coordinates '", axis_node.child("coordinates").text().as_string(),
            "' is not evaluated here (Constant, and LinearFunction of one coordinate of the "
            "joint, are)");
      }
      if (axis_name.rfind("rotation", 0) == 0) {
        rotation = multiply(rotation, axis_rotation(axis, value));
      } else {
        const double norm = std::sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
        for (std::size_t d = 0; d < 3 && norm > 0.0; ++d)
          translation[d] += value * axis[d] / norm;
      }
    }
    j.default_motion = {rotation, translation};
    return j;
  }

  std::string source_;
  std::string bytes_;
  std::unique_ptr<pugi::xml_document> document_;
  std::vector<std::string> bodies_;
  std::vector<joint> joints_;
  std::vector<pugi::xml_node> joint_nodes_;
  std::vector<muscle> muscles_;
  std::vector<pugi::xml_node> muscle_nodes_;
};

}  // namespace discgeom::opensim
