# gradgen_add_gradient(): generate a gradient header from a program file as
# part of a build.
#
#   gradgen_add_gradient(<target> NAME <name> PROGRAM_FILE <file.gg>
#                        [WRT <input>...] [INPUTS <input>...] [OUTPUTS <name>...]
#                        [NAMESPACE <ns>] [OUTPUT <header>] [TYPE <float|double|long double>]
#                        [HESSIAN] [BATCH] [OPTIONS <gradgen option>...])
#
# Adds a custom command that runs gradgen on PROGRAM_FILE and writes the
# header OUTPUT (default <name>.hpp) into ${CMAKE_CURRENT_BINARY_DIR}/gradgen,
# which is added to <target>'s include path: `#include "<name>.hpp"`. The
# header is regenerated when the program file or the gradgen binary changes,
# and not otherwise. WRT, INPUTS and OUTPUTS are gradgen's --wrt, --inputs and
# --output; HESSIAN is --hessian, BATCH is --batch; OPTIONS are passed to
# gradgen as they are (OPTIONS --no-opt --split-lines 200). The header's path is returned in
# GRADGEN_<NAME>_HEADER (NAME as given) in the caller's scope.
#
# The gradgen binary is the target gradgen::gradgen: the imported one of an
# installed gradgen (find_package(gradgen)), or gradgen's own when it is part
# of the same build (add_subdirectory, or gradgen's examples).

function(gradgen_add_gradient target)
  set(options HESSIAN BATCH)
  set(one_value NAME PROGRAM_FILE NAMESPACE OUTPUT TYPE)
  set(multi_value WRT INPUTS OUTPUTS OPTIONS)
  cmake_parse_arguments(PARSE_ARGV 1 GG "${options}" "${one_value}" "${multi_value}")
  if(GG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "gradgen_add_gradient: unknown arguments: ${GG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "gradgen_add_gradient: '${target}' is not a target")
  endif()
  if(NOT GG_NAME OR NOT GG_PROGRAM_FILE)
    message(FATAL_ERROR "gradgen_add_gradient(${target} ...) needs NAME and PROGRAM_FILE")
  endif()
  if(NOT TARGET gradgen::gradgen)
    message(FATAL_ERROR "gradgen_add_gradient: no gradgen::gradgen target; "
                        "use find_package(gradgen) or build gradgen in this project")
  endif()

  get_filename_component(program "${GG_PROGRAM_FILE}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT EXISTS "${program}")
    message(FATAL_ERROR "gradgen_add_gradient: the program file ${program} does not exist")
  endif()
  if(NOT GG_OUTPUT)
    set(GG_OUTPUT "${GG_NAME}.hpp")
  endif()
  set(directory "${CMAKE_CURRENT_BINARY_DIR}/gradgen")
  get_filename_component(header "${GG_OUTPUT}" ABSOLUTE BASE_DIR "${directory}")

  set(arguments -f "${program}" -o "${header}" --name "${GG_NAME}")
  if(GG_NAMESPACE)
    list(APPEND arguments --namespace "${GG_NAMESPACE}")
  endif()
  if(GG_TYPE)
    list(APPEND arguments --type "${GG_TYPE}")
  endif()
  foreach(option WRT INPUTS OUTPUTS)
    if(GG_${option})
      string(REPLACE ";" "," names "${GG_${option}}")
      string(TOLOWER "${option}" flag)
      if(flag STREQUAL "outputs")
        set(flag "output")
      endif()
      list(APPEND arguments --${flag} "${names}")
    endif()
  endforeach()
  if(GG_HESSIAN)
    list(APPEND arguments --hessian)
  endif()
  if(GG_BATCH)
    list(APPEND arguments --batch)
  endif()
  list(APPEND arguments ${GG_OPTIONS})

  # The header's folder is made by the command itself: Ninja makes an
  # output's folder, Unix Makefiles does not, and the folder may have been
  # removed since CMake ran.
  get_filename_component(header_directory "${header}" DIRECTORY)
  file(RELATIVE_PATH shown "${CMAKE_BINARY_DIR}" "${header}")
  add_custom_command(
    OUTPUT "${header}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${header_directory}"
    COMMAND gradgen::gradgen ${arguments}
    DEPENDS "${program}" gradgen::gradgen "$<TARGET_FILE:gradgen::gradgen>"
    COMMENT "gradgen: generating ${shown} from ${GG_PROGRAM_FILE}"
    VERBATIM)
  target_sources(${target} PRIVATE "${header}")
  target_include_directories(${target} PRIVATE "${directory}")
  set(GRADGEN_${GG_NAME}_HEADER "${header}" PARENT_SCOPE)
endfunction()
