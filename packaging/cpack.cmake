# The Debian packages: `cpack -G DEB` (or `make package`) in a build tree makes two .debs:
#   mafio_<version>_<arch>.deb       the agent
#     /usr/bin/mafio, /usr/lib/mafio/plugins/*.so       the normal install, prefix /usr
#     /etc/mafio/mafio.json                             a conffile: the default pipeline
#     /usr/lib/systemd/system/mafio.service             the service, run as the `mafio` user
#     /usr/share/doc/mafio/copyright                    machine-readable (packaging/deb/copyright)
#   mafio-dev_<version>_all.deb      the plugin SDK, for building plugins
#     /usr/include/mafio, /usr/lib/cmake/mafio-plugin-sdk  (component `dev`, plugin-sdk/)
#     /usr/share/doc/mafio-dev/copyright
# Included at the end of the top-level CMakeLists.txt, after every install() rule.

# The service files live outside the prefix (/etc) or only make sense for a system package, so
# they are a component left out of a plain `cmake --install` (which must not write to /etc);
# the package asks for it by name below. So are the copyright files: Debian wants one per
# package, at a fixed place, where a plain install has share/doc/mafio/LICENSE instead.
install(FILES "${CMAKE_CURRENT_LIST_DIR}/mafio.json" DESTINATION /etc/mafio
        COMPONENT service EXCLUDE_FROM_ALL)
install(FILES "${CMAKE_CURRENT_LIST_DIR}/systemd/mafio.service" DESTINATION lib/systemd/system
        COMPONENT service EXCLUDE_FROM_ALL)
install(FILES "${CMAKE_CURRENT_LIST_DIR}/deb/copyright" DESTINATION share/doc/mafio
        COMPONENT service EXCLUDE_FROM_ALL)
install(FILES "${CMAKE_CURRENT_LIST_DIR}/deb/copyright" DESTINATION share/doc/mafio-dev
        COMPONENT dev_doc EXCLUDE_FROM_ALL)
# The MIT license's condition: the notice travels with every copy (release tree, image). Not
# in the .debs, which carry it in their copyright files.
install(FILES "${CMAKE_CURRENT_LIST_DIR}/../LICENSE" DESTINATION share/doc/mafio
        COMPONENT license)

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "mafio")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "mafio")
set(CPACK_PACKAGE_CONTACT "mafio maintainers <maintainers@mafio.invalid>")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)

# One package per group: `main` is the default component (binary, plugins) and `service`;
# `dev` is the SDK (plugin-sdk/cmake/InstallSdk.cmake installs it as component `dev`).
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ONE_PER_GROUP)
set(CPACK_COMPONENTS_ALL Unspecified service dev dev_doc)
set(CPACK_COMPONENT_UNSPECIFIED_GROUP main)
set(CPACK_COMPONENT_SERVICE_GROUP main)
set(CPACK_COMPONENT_DEV_GROUP dev)
set(CPACK_COMPONENT_DEV_DOC_GROUP dev)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # mafio_0.4.0_amd64.deb, mafio-dev_0.4.0_all.deb
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_MAIN_PACKAGE_NAME "mafio")
set(CPACK_DEBIAN_DEV_PACKAGE_NAME "mafio-dev")
set(CPACK_DEBIAN_MAIN_PACKAGE_SECTION "admin")
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION "devel")
# Headers and CMake files only: the same package on every architecture.
set(CPACK_DEBIAN_DEV_PACKAGE_ARCHITECTURE "all")
# The first line is the package's summary, the rest the body of its Description. (No
# CPACK_PACKAGE_DESCRIPTION_SUMMARY: CPack would put that one summary on both packages.)
set(CPACK_DEBIAN_MAIN_DESCRIPTION
  "data-collection agent with run-time loaded plugins\n\
mafio moves records from inputs (stdin, tailed files) through filters to outputs\n\
(stdout, rotating log files). Every input, filter and output is a plugin loaded at\n\
run time against a stable C ABI. Includes a systemd service; the plugin SDK is in\n\
mafio-dev.")
set(CPACK_DEBIAN_DEV_DESCRIPTION
  "plugin SDK for the mafio data-collection agent\n\
The C ABI headers (mafio/plugin.h), the C++ helpers (mafio/plugin.hpp) and the CMake\n\
package mafio-plugin-sdk (find_package(mafio-plugin-sdk), mafio_add_plugin()) for\n\
building mafio input, filter and output plugins outside mafio's source tree.")
# Library dependencies come from dpkg-shlibdeps (package dpkg-dev) on the binary and plugins;
# adduser is for the maintainer scripts.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_MAIN_PACKAGE_DEPENDS "adduser")
# The SDK's CMake package requires RapidJSON (options.hpp uses it); plugins built with it are
# for the mafio of the same version.
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "mafio (= ${PROJECT_VERSION}), rapidjson-dev")
set(CPACK_DEBIAN_DEV_PACKAGE_RECOMMENDS "cmake, g++")
set(CPACK_DEBIAN_MAIN_PACKAGE_SUGGESTS "mafio-dev")
set(CPACK_DEBIAN_MAIN_PACKAGE_CONTROL_EXTRA
  "${CMAKE_CURRENT_LIST_DIR}/deb/conffiles"
  "${CMAKE_CURRENT_LIST_DIR}/deb/postinst"
  "${CMAKE_CURRENT_LIST_DIR}/deb/prerm"
  "${CMAKE_CURRENT_LIST_DIR}/deb/postrm")
# Maintainer scripts 0755 and conffiles 0644 whatever the checkout's modes are.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)

include(CPack)
