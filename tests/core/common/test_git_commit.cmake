# The commit stamp (core/common/git_commit.cmake) on a scratch repository: the hash when the
# tracked files match the commit, "-dirty" when one differs, and "unknown" outside a checkout.
# Usage: cmake -DGIT=<git> -DSCRIPT=<git_commit.cmake> -DWORK=<scratch dir> -P test_git_commit.cmake
file(REMOVE_RECURSE "${WORK}")
# The scratch folder sits inside the build tree, maybe inside this project's checkout: git must
# not look above it for a repository.
set(ENV{GIT_CEILING_DIRECTORIES} "${WORK}")
file(MAKE_DIRECTORY "${WORK}/repo" "${WORK}/plain")

function(git)
    execute_process(COMMAND "${GIT}" -c user.name=quantscope -c user.email=test@example.invalid -c commit.gpgsign=false
                            ${ARGN}
                    WORKING_DIRECTORY "${WORK}/repo" RESULT_VARIABLE rc
                    OUTPUT_VARIABLE out ERROR_VARIABLE err OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "git ${ARGN} failed: ${err}")
    endif()
    set(git_out "${out}" PARENT_SCOPE)
endfunction()

# Runs the stamp on `dir` and checks the commit it writes.
function(expect_stamp dir expected why)
    execute_process(COMMAND "${CMAKE_COMMAND}" -DGIT=${GIT} -DSOURCE_DIR=${dir}
                            -DOUT=${WORK}/git_commit.h -P "${SCRIPT}"
                    RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "the stamp failed on ${dir}")
    endif()
    file(READ "${WORK}/git_commit.h" text)
    if(NOT text MATCHES "#define QS_GIT_COMMIT \"([^\"]*)\"")
        message(FATAL_ERROR "no QS_GIT_COMMIT in the stamp: ${text}")
    endif()
    if(NOT CMAKE_MATCH_1 STREQUAL expected)
        message(FATAL_ERROR "${why}: stamped \"${CMAKE_MATCH_1}\", expected \"${expected}\"")
    endif()
    message(STATUS "${why}: ${CMAKE_MATCH_1}")
endfunction()

git(init -q)
file(WRITE "${WORK}/repo/source.cpp" "int one() { return 1; }\n")
git(add source.cpp)
git(commit -q -m first)
git(rev-parse --short=12 HEAD)
set(hash "${git_out}")

expect_stamp("${WORK}/repo" "${hash}" "clean tree")
file(WRITE "${WORK}/repo/source.cpp" "int one() { return 2; }\n")
expect_stamp("${WORK}/repo" "${hash}-dirty" "edited tracked file")
file(WRITE "${WORK}/repo/source.cpp" "int one() { return 1; }\n")
expect_stamp("${WORK}/repo" "${hash}" "rewritten with the committed text")
file(WRITE "${WORK}/repo/notes.txt" "not part of the build\n")
expect_stamp("${WORK}/repo" "${hash}" "untracked file")
expect_stamp("${WORK}/plain" "unknown" "not a git checkout")
