# format_check.cmake - fails when a C file differs from what clang-format makes of it (.clang-format).
# Generated tables are left out. Run as: cmake -DSOURCE_DIR=... -P format_check.cmake
find_program(CLANG_FORMAT clang-format)
if(NOT CLANG_FORMAT)
  message(FATAL_ERROR "clang-format is not installed (scripts/install-test-deps installs it)")
endif()
file(GLOB_RECURSE files RELATIVE ${SOURCE_DIR}
     ${SOURCE_DIR}/core/*.[ch] ${SOURCE_DIR}/badge/*.[ch] ${SOURCE_DIR}/gateway/*.[ch] ${SOURCE_DIR}/cmd/*.[ch]
     ${SOURCE_DIR}/importer/*.[ch] ${SOURCE_DIR}/runtime/*.[ch] ${SOURCE_DIR}/worker/*.[ch] ${SOURCE_DIR}/tests/*.[ch])
list(FILTER files EXCLUDE REGEX "node_modules|badge/(font_widths|case_map|css_names)\\.c$")
execute_process(COMMAND ${CLANG_FORMAT} --style=file --dry-run --Werror ${files}
                WORKING_DIRECTORY ${SOURCE_DIR} RESULT_VARIABLE rc ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${out}\nFormat these files with: clang-format --style=file -i FILE")
endif()
list(LENGTH files n)
message(STATUS "${n} files are formatted as .clang-format says")
