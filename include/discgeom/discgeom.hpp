// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The discgeom core in one include: the vocabulary (errors, voxel traits, concepts, views,
/// geometry, images) and the algorithms that need neither LibTorch nor an I/O library.

#include "discgeom/adapters/xtensor.hpp"
#include "discgeom/as_volume.hpp"
#include "discgeom/concepts.hpp"
#include "discgeom/error.hpp"
#include "discgeom/image.hpp"
#include "discgeom/image_geometry.hpp"
#include "discgeom/mask/labels.hpp"
#include "discgeom/traits.hpp"
#include "discgeom/version.hpp"
#include "discgeom/volume_view.hpp"
