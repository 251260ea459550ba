# mafio_add_plugin(NAME <name> TAG <tag> SOURCES <src>...
#                  [OUTPUT_DIR <dir>] [NO_INSTALL] [INSTALL_DIR <dir>])
#
# Builds <name>-<tag>.so, the file name the mafio host looks for, as a MODULE with hidden
# visibility and a version script that exports only mafio_plugin_entry_v1. The same function
# builds the in-tree plugins and third-party plugins against an installed SDK.
include_guard(GLOBAL)

set(_MAFIO_ADD_PLUGIN_DIR "${CMAKE_CURRENT_LIST_DIR}")

function(mafio_add_plugin)
  cmake_parse_arguments(P "NO_INSTALL" "NAME;TAG;OUTPUT_DIR;INSTALL_DIR" "SOURCES" ${ARGN})
  if(NOT P_NAME MATCHES "^[a-z0-9_]+$")
    message(FATAL_ERROR "mafio_add_plugin: NAME '${P_NAME}' must match [a-z0-9_]+")
  endif()
  if(NOT P_TAG MATCHES "^[A-Za-z0-9_.]+$")
    message(FATAL_ERROR "mafio_add_plugin: TAG '${P_TAG}' must match [A-Za-z0-9_.]+")
  endif()
  if(NOT P_SOURCES)
    message(FATAL_ERROR "mafio_add_plugin: SOURCES is required")
  endif()
  set(target "${P_NAME}-${P_TAG}")
  add_library(${target} MODULE ${P_SOURCES})
  target_link_libraries(${target} PRIVATE mafio::plugin-sdk)
  # CMAKE_CURRENT_FUNCTION_LIST_DIR, not a variable set at include time: that one is scoped to
  # the including directory and is empty when plugins/ or test/fixtures/ call this function.
  set(version_script "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/mafio-plugin.map")
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME "${P_NAME}-${P_TAG}"
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LINK_DEPENDS "${version_script}")
  target_link_options(${target} PRIVATE "LINKER:--version-script=${version_script}"
                      "LINKER:--no-undefined")
  if(P_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${P_OUTPUT_DIR}")
  elseif(MAFIO_PLUGIN_DEFAULT_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES
      LIBRARY_OUTPUT_DIRECTORY "${MAFIO_PLUGIN_DEFAULT_OUTPUT_DIR}")
  endif()
  if(NOT P_NO_INSTALL)
    if(NOT P_INSTALL_DIR)
      if(MAFIO_PLUGIN_INSTALL_DIR)
        set(P_INSTALL_DIR "${MAFIO_PLUGIN_INSTALL_DIR}")
      else()
        set(P_INSTALL_DIR "lib/mafio/plugins")
      endif()
    endif()
    install(TARGETS ${target} LIBRARY DESTINATION "${P_INSTALL_DIR}")
  endif()
endfunction()
