# check-man.cmake - lints the man pages in MAN_DIR (*.1 ... *.9) with groff:
# any warning, any error, or a byte that is not printable ASCII fails.
# (groff reads its input as Latin-1 unless preconv(1) runs first, so the
# pages spell other characters as escapes: \(em, \(lq, \[u00E9].)
#
#   cmake -DGROFF=/usr/bin/groff -DMAN_DIR=doc -P check-man.cmake
cmake_minimum_required(VERSION 3.18)

if(NOT GROFF)
  message(FATAL_ERROR "groff not found: install groff-base (scripts/install-deps)")
endif()
file(GLOB pages "${MAN_DIR}/*.[1-9]")
if(NOT pages)
  message(FATAL_ERROR "no man pages in ${MAN_DIR}")
endif()

set(failed FALSE)
foreach(page ${pages})
  file(STRINGS "${page}" bad ENCODING UTF-8 REGEX "[^\t -~]")
  if(bad)
    list(GET bad 0 first)
    message(SEND_ERROR "${page}: a character that is not printable ASCII, in: ${first}")
    set(failed TRUE)
  endif()
  execute_process(
    COMMAND "${GROFF}" -man -Tutf8 -ww -z "${page}"
    RESULT_VARIABLE rc
    OUTPUT_VARIABLE out
    ERROR_VARIABLE out)
  if(NOT rc EQUAL 0 OR NOT out STREQUAL "")
    message(SEND_ERROR "${page}: groff -man -ww (exit status ${rc}):\n${out}")
    set(failed TRUE)
  endif()
endforeach()
if(failed)
  message(FATAL_ERROR "man pages have problems")
endif()
list(LENGTH pages n)
message(STATUS "${n} man pages lint clean")
