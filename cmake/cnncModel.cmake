#===- cnncModel.cmake - cnnc_add_model for projects using cnnc ------------===#
#
# Part of the cnnc project; installed in <prefix>/lib/cmake/cnnc/ and
# included by cnncConfig.cmake.
#
#   cnnc_add_model(<target> <model-file> [NAME <c-name>] [OPTIONS <flag>...])
#
# At build time runs cnnc::cnnc --emit=obj --name=<c-name> [<flag>...] on
# <model-file> (.mlir, .mlirbc or .onnx; relative to the current source
# directory), writing
#   ${CMAKE_CURRENT_BINARY_DIR}/cnnc_models/<c-name>.o   the model
#   ${CMAKE_CURRENT_BINARY_DIR}/cnnc_models/<c-name>.h   its C ABI
#                                                        (<c-name>_run, ...)
# adds the object to <target>'s sources, that directory to its include path
# and links it with cnnc::cnnrt, the static runtime (no OpenMP library: the
# runtime serves the model's parallel loops). The object is rebuilt when the
# model file, cnnc or the OPTIONS change. <c-name> defaults to the model
# file's name without its last extension, made a C identifier
# (resnet-18.onnx: resnet_18). <target> must be defined in the calling
# directory; several models in one target need distinct names.
#
#===------------------------------------------------------------------------===#
include_guard(GLOBAL)

function(cnnc_add_model target model)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "NAME" "OPTIONS")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR
      "cnnc_add_model: unexpected arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "cnnc_add_model: no target named '${target}'")
  endif()
  get_target_property(target_dir ${target} SOURCE_DIR)
  if(NOT target_dir STREQUAL CMAKE_CURRENT_SOURCE_DIR)
    message(FATAL_ERROR "cnnc_add_model: call it in the directory that "
      "defines '${target}' (${target_dir})")
  endif()
  if(NOT TARGET cnnc::cnnc OR NOT TARGET cnnc::cnnrt)
    message(FATAL_ERROR "cnnc_add_model: needs find_package(cnnc)")
  endif()

  get_filename_component(model_path "${model}" ABSOLUTE
    BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT EXISTS "${model_path}")
    message(FATAL_ERROR "cnnc_add_model: no model file '${model_path}'")
  endif()
  if(arg_NAME)
    set(name "${arg_NAME}")
    string(MAKE_C_IDENTIFIER "${name}" safe_name)
    if(NOT name STREQUAL safe_name)
      message(FATAL_ERROR
        "cnnc_add_model: NAME '${name}' is not a C identifier")
    endif()
  else()
    get_filename_component(stem "${model_path}" NAME_WLE)
    string(MAKE_C_IDENTIFIER "${stem}" name)
  endif()

  set(dir "${CMAKE_CURRENT_BINARY_DIR}/cnnc_models")
  set(object "${dir}/${name}.o")
  set(header "${dir}/${name}.h")
  file(RELATIVE_PATH shown "${CMAKE_BINARY_DIR}" "${object}")
  add_custom_command(
    OUTPUT "${object}" "${header}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${dir}"
    COMMAND cnnc::cnnc --emit=obj "--name=${name}" ${arg_OPTIONS}
            "${model_path}" -o "${object}"
    DEPENDS "${model_path}" "$<TARGET_FILE:cnnc::cnnc>"
    COMMENT "Compiling model ${model} to ${shown} with cnnc"
    VERBATIM
    )
  set_source_files_properties("${object}" PROPERTIES
    EXTERNAL_OBJECT TRUE GENERATED TRUE)
  set_source_files_properties("${header}" PROPERTIES
    HEADER_FILE_ONLY TRUE GENERATED TRUE)
  target_sources(${target} PRIVATE "${object}" "${header}")
  target_include_directories(${target} PRIVATE "${dir}")
  target_link_libraries(${target} PRIVATE cnnc::cnnrt)
endfunction()
