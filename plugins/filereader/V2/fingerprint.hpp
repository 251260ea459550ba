// File identity for filereader:V2: device + inode + a fingerprint of the file's first bytes.
// The definitions live in the SDK (mafio/file_position.hpp), shared with filereader:V1 and
// any other input that writes the checkpoint format "mafio.file-position/1"; this header gives
// them their V2 names.
#pragma once

#include <mafio/file_position.hpp>

namespace mafio_filereader {

using mafio::file_position::check_and_extend;
using mafio::file_position::check_and_extend_fd;
using mafio::file_position::FileIdentity;
using mafio::file_position::Fingerprint;
using mafio::file_position::fingerprint_of;
using mafio::file_position::fnv1a64;
using mafio::file_position::kFnvOffsetBasis;
using mafio::file_position::kFnvPrime;
using mafio::file_position::PrefixCheck;
using mafio::file_position::read_prefix;

} // namespace mafio_filereader
