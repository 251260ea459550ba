# The Debian package: `cpack -G DEB` (or `cmake --build build --target package`) in a build
# tree makes mafio_<version>_<arch>.deb with
#   /usr/bin/mafio, /usr/lib/mafio/plugins/*.so     the normal install, prefix /usr
#   /usr/include/mafio, /usr/lib/cmake/mafio-plugin-sdk   the plugin SDK
#   /etc/mafio/mafio.json                            a conffile: the default pipeline
#   /usr/lib/systemd/system/mafio.service            the service, run as the `mafio` user
# Included at the end of the top-level CMakeLists.txt, after every install() rule.

# The service files live outside the prefix (/etc) or only make sense for a system package, so
# they are a component left out of a plain `cmake --install` (which must not write to /etc);
# the package asks for it by name below.
install(FILES "${CMAKE_CURRENT_LIST_DIR}/mafio.json" DESTINATION /etc/mafio
        COMPONENT service EXCLUDE_FROM_ALL)
install(FILES "${CMAKE_CURRENT_LIST_DIR}/systemd/mafio.service" DESTINATION lib/systemd/system
        COMPONENT service EXCLUDE_FROM_ALL)

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "mafio")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "mafio")
set(CPACK_PACKAGE_CONTACT "mafio maintainers <maintainers@mafio.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "data-collection agent with run-time loaded plugins")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)

# One package holding both the default component (binary, plugins, SDK) and `service`.
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
set(CPACK_COMPONENTS_ALL Unspecified service)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # mafio_0.3.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION "admin")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
# The summary above is the first line of the Description; this is its body.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
  "mafio moves records from inputs (stdin, tailed files) through filters to outputs\n\
(stdout, rotating log files). Every input, filter and output is a plugin loaded at\n\
run time against a stable C ABI. Includes a systemd service and the plugin SDK.")
# Library dependencies come from dpkg-shlibdeps (package dpkg-dev) on the binary and plugins;
# adduser is for the maintainer scripts.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
# Building plugins against the SDK needs a compiler, CMake and RapidJSON's headers.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "cmake, g++, rapidjson-dev")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  "${CMAKE_CURRENT_LIST_DIR}/deb/conffiles"
  "${CMAKE_CURRENT_LIST_DIR}/deb/postinst"
  "${CMAKE_CURRENT_LIST_DIR}/deb/prerm"
  "${CMAKE_CURRENT_LIST_DIR}/deb/postrm")
# Maintainer scripts 0755 and conffiles 0644 whatever the checkout's modes are.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)

include(CPack)
