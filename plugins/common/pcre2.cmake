# PCRE2 (8-bit code units) for the plugins that match regular expressions (parser:V1, grep:V1,
# and the other users of pcre2_regex.hpp). Debian: libpcre2-dev. One GLOBAL imported target so
# that the unit tests and fuzz targets link the same library.
include_guard(GLOBAL)
find_package(PkgConfig REQUIRED)
pkg_check_modules(MAFIO_PCRE2 REQUIRED IMPORTED_TARGET GLOBAL libpcre2-8)
