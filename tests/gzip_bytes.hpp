// SPDX-License-Identifier: MIT
#pragma once
// gzip (RFC 1952) and zlib (RFC 1950) compression of bytes held in a std::string or a
// std::vector<std::byte>, through zlib: for tests and seed files that edit compressed images.
// Throws std::runtime_error when zlib fails.

#include <zlib.h>

#include <stdexcept>

namespace discgeom_test {

enum class wrapper { gzip, zlib };

/// `plain` deflated, in a gzip member (window bits 16 + 15) or a zlib stream.
template <class Bytes>
Bytes compress_bytes(const Bytes& plain, wrapper kind = wrapper::gzip) {
  z_stream z{};
  if (deflateInit2(&z, 6, Z_DEFLATED, kind == wrapper::gzip ? 16 + MAX_WBITS : MAX_WBITS, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2 failed");
  Bytes out(deflateBound(&z, plain.size()) + 64, typename Bytes::value_type{});
  z.next_in = reinterpret_cast<Bytef*>(const_cast<typename Bytes::value_type*>(plain.data()));
  z.avail_in = static_cast<uInt>(plain.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int status = deflate(&z, Z_FINISH);
  deflateEnd(&z);
  if (status != Z_STREAM_END)
    throw std::runtime_error("deflate failed");
  out.resize(z.total_out);
  return out;
}

/// One gzip member of `compressed` inflated (at most 4 MiB: test images are small).
template <class Bytes>
Bytes gunzip_bytes(const Bytes& compressed) {
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
    throw std::runtime_error("inflateInit2 failed");
  Bytes out(std::size_t{1} << 22, typename Bytes::value_type{});
  z.next_in = reinterpret_cast<Bytef*>(const_cast<typename Bytes::value_type*>(compressed.data()));
  z.avail_in = static_cast<uInt>(compressed.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int status = inflate(&z, Z_FINISH);
  inflateEnd(&z);
  if (status != Z_STREAM_END)
    throw std::runtime_error("inflate failed");
  out.resize(z.total_out);
  return out;
}

}  // namespace discgeom_test
