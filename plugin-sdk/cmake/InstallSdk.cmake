# Installs the SDK so that a third party builds plugins without our source tree:
#   include/mafio/{plugin.h,plugin.hpp,...}  the umbrella plugin.h and the C++ helpers
#   include/mafio/abi/*.h, include/mafio/ext/*.h  the C ABI, one concept per header, which
#                                plugin.h includes (install(DIRECTORY) copies subdirectories)
#   lib/cmake/mafio-plugin-sdk/  find_package(mafio-plugin-sdk CONFIG): the target
#                                mafio::plugin-sdk and the function mafio_add_plugin()
# Included from plugin-sdk/CMakeLists.txt; the SDK version is mafio's version. Component `dev`:
# packaging/cpack.cmake puts it in the mafio-dev package (a plain install has it too).
include(CMakePackageConfigHelpers)

# Literally lib/cmake, not CMAKE_INSTALL_LIBDIR: with prefix /usr on Debian that would be
# lib/<triplet>/cmake, which find_package also searches, but one fixed path is easier to
# document and to check in the .deb.
set(MAFIO_SDK_CMAKE_DIR "lib/cmake/mafio-plugin-sdk")

install(DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}/include/mafio"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
        COMPONENT dev FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp")

install(TARGETS mafio_plugin_sdk EXPORT mafio-plugin-sdk-targets COMPONENT dev)
install(EXPORT mafio-plugin-sdk-targets NAMESPACE mafio::
        FILE mafio-plugin-sdk-targets.cmake DESTINATION "${MAFIO_SDK_CMAKE_DIR}" COMPONENT dev)

configure_package_config_file("${CMAKE_CURRENT_SOURCE_DIR}/cmake/mafio-plugin-sdk-config.cmake.in"
  "${CMAKE_CURRENT_BINARY_DIR}/mafio-plugin-sdk-config.cmake"
  INSTALL_DESTINATION "${MAFIO_SDK_CMAKE_DIR}" NO_SET_AND_CHECK_MACRO)
# SameMajorVersion: the ABI major is what breaks plugins, and it moves with mafio's major.
write_basic_package_version_file("${CMAKE_CURRENT_BINARY_DIR}/mafio-plugin-sdk-config-version.cmake"
  VERSION "${PROJECT_VERSION}" COMPATIBILITY SameMajorVersion ARCH_INDEPENDENT)

# MafioAddPlugin.cmake finds mafio-plugin.map next to itself, so both travel together.
install(FILES
  "${CMAKE_CURRENT_BINARY_DIR}/mafio-plugin-sdk-config.cmake"
  "${CMAKE_CURRENT_BINARY_DIR}/mafio-plugin-sdk-config-version.cmake"
  "${CMAKE_CURRENT_SOURCE_DIR}/cmake/MafioAddPlugin.cmake"
  "${CMAKE_CURRENT_SOURCE_DIR}/cmake/mafio-plugin.map"
  DESTINATION "${MAFIO_SDK_CMAKE_DIR}" COMPONENT dev)
