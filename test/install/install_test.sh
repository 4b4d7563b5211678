#!/usr/bin/env bash
# ctest install.outside_project: an installed cnnc serves a project that
# knows nothing of its build tree.
#
#   test/install/install_test.sh BUILD_DIR
#
# Installs BUILD_DIR into a scratch prefix (cmake --install), checks the
# installed files, then, with BUILD_DIR out of PATH:
#   - compiles examples/small_resnet.mlir with the installed cnnc into an
#     executable, whose top-1 classes are the reference;
#   - configures examples/embed as an outside project (find_package(cnnc),
#     cnnc_add_model) with CMAKE_PREFIX_PATH=<prefix> and the same C
#     compiler, builds it (the model compiled by the installed cnnc), runs
#     ./embed and compares each row's argmax with the reference; checks that
#     a rebuild does nothing and that touching the model or cnnc recompiles
#     the model; with --batch=dynamic in OPTIONS (if cnnc has it), embed
#     runs 2 images through cnn_model_run_batch, compared likewise;
#   - builds a second outside project using cnnc::cnnrt_shared,
#     cnnc::cnnrt_main and cnnc_add_model's default name, and runs both;
#   - builds a C program with `pkg-config --cflags --libs cnnrt` (the shared
#     libcnnrt.so) and runs it.
#
# Environment: CC (default clang-22), CMAKE (default cmake), CMAKE_GENERATOR
# (the generator of the outside projects; cmake's default if unset), KEEP=1
# keeps the scratch directory.
set -u
if (($# != 1)); then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
build=$(cd "$1" && pwd) || exit 2
root=$(cd "$(dirname "$0")/../.." && pwd)
cc=${CC:-clang-22}
cmake=${CMAKE:-cmake}
cc=$(command -v "$cc") || { echo "FAIL: no C compiler '${CC:-clang-22}'"; exit 1; }
cmake=$(command -v "$cmake") || { echo "FAIL: no cmake"; exit 1; }
model_src=$root/examples/small_resnet.mlir

work=$(mktemp -d "${TMPDIR:-/tmp}/cnnc-install.XXXXXX")
if [[ ${KEEP:-0} == 1 ]]; then
  echo "scratch directory: $work"
else
  trap 'rm -rf "$work"' EXIT
fi
prefix=$work/prefix
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
# Runs a command with its output in $work/NAME.log; prints the log on failure.
logged() {
  local name=$1
  shift
  if ! "$@" >"$work/$name.log" 2>&1; then
    fail "$name: $* (exit $?)"
    sed 's/^/  | /' "$work/$name.log" | tail -40
    return 1
  fi
}

# 1. Install.
logged install "$cmake" --install "$build" --prefix "$prefix" ||
  { echo "install.outside_project: cannot install"; exit 1; }

# 2. The installed tree.
for file in bin/cnnc bin/cnn-opt lib/libcnnrt.a lib/libcnnrt_main.a \
  lib/libcnnrt.so include/cnnrt/cnnrt.h include/cnnrt/cnn_model_abi.h \
  lib/cmake/cnnc/cnncConfig.cmake lib/cmake/cnnc/cnncConfigVersion.cmake \
  lib/cmake/cnnc/cnncTargets.cmake lib/cmake/cnnc/cnncModel.cmake \
  lib/pkgconfig/cnnrt.pc; do
  [[ -e $prefix/$file ]] || fail "not installed: $file"
done
for tool in cnnc cnn-opt; do
  [[ -x $prefix/bin/$tool ]] || fail "bin/$tool is not executable"
done
soname=$(readelf -d "$prefix/lib/libcnnrt.so" 2>/dev/null |
  sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
if [[ $soname != libcnnrt.so.* ]]; then
  fail "libcnnrt.so has no versioned SONAME ('$soname')"
elif [[ ! -e $prefix/lib/$soname ]]; then
  fail "libcnnrt.so's SONAME $soname is not installed"
fi
if grep -rqF "$build" "$prefix/lib/cmake" "$prefix/lib/pkgconfig"; then
  fail "the CMake package or cnnrt.pc names the build tree: $(grep -rlF "$build" "$prefix/lib/cmake" "$prefix/lib/pkgconfig" | tr '\n' ' ')"
fi
version=$("$prefix/bin/cnnc" --version 2>&1 | sed -n 's/^ *cnnc \([0-9.]*\).*/\1/p')
[[ -n $version ]] || fail "installed cnnc does not run: $("$prefix/bin/cnnc" --version 2>&1 | tail -3)"

# Nothing from here on may come from the build tree.
clean_path=
IFS=: read -r -a path_entries <<<"$PATH"
for entry in "${path_entries[@]}"; do
  [[ -z $entry || $entry == "$build" || $entry == "$build"/* ]] && continue
  clean_path=${clean_path:+$clean_path:}$entry
done
export PATH=$clean_path
unset CMAKE_PREFIX_PATH cnnc_DIR LD_LIBRARY_PATH PKG_CONFIG_PATH
if found=$(command -v cnnc) && [[ $found == "$build"/* ]]; then
  fail "cnnc on PATH is the build tree's: $found"
fi
cd "$work" || exit 1

# Top-1 class of each batch row of a model executable ("batch N: top-5: K
# (...), ...") or of embed ("row N: argmax K (...)"): "N K" lines.
top1_of_model() { sed -n 's/^batch \([0-9]*\): top-5: \([0-9]*\) .*/\1 \2/p' "$1"; }
top1_of_embed() { sed -n 's/^row \([0-9]*\): argmax \([0-9]*\) .*/\1 \2/p' "$1"; }

# 3. The reference: the executable the installed cnnc links.
cp "$model_src" "$work/model.mlir"
logged cnnc-exe "$prefix/bin/cnnc" "$work/model.mlir" -o "$work/model-exe" &&
  logged model-exe "$work/model-exe"
reference=$(top1_of_model "$work/model-exe.log")
[[ -n $reference ]] || fail "no top-5 line from the model executable: $(head -3 "$work/model-exe.log" 2>/dev/null)"

# 4. examples/embed as an outside project.
configure() { # NAME SOURCE_DIR BUILD_DIR ARGS...
  local name=$1 source=$2 binary=$3
  shift 3
  logged "$name" "$cmake" -S "$source" -B "$binary" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER="$cc" -DCMAKE_PREFIX_PATH="$prefix" "$@"
}
embed=$work/embed-build
if configure embed-configure "$root/examples/embed" "$embed" \
     -DCNNC_EXAMPLE_MODEL="$work/model.mlir" &&
   logged embed-build "$cmake" --build "$embed" --parallel 1; then
  cnnc_dir=$(sed -n 's/^cnnc_DIR:PATH=//p' "$embed/CMakeCache.txt")
  [[ $cnnc_dir -ef $prefix/lib/cmake/cnnc ]] ||
    fail "embed found cnnc in '$cnnc_dir', not in $prefix/lib/cmake/cnnc"
  for file in cnnc_models/cnn_model.o cnnc_models/cnn_model.h; do
    [[ -f $embed/$file ]] || fail "cnnc_add_model wrote no $file"
  done
  if logged embed-run "$embed/embed"; then
    got=$(top1_of_embed "$work/embed-run.log")
    if [[ -z $got || $got != "$reference" ]]; then
      fail "embed's argmax differs from the model executable's:" \
        "embed [$(tr '\n' ' ' <<<"$got")] executable [$(tr '\n' ' ' <<<"$reference")]"
    fi
    grep -q 'same output: yes' "$work/embed-run.log" ||
      fail "cnn_model_run_with_workspace gave another output: $(grep workspace "$work/embed-run.log")"
  fi
  # A rebuild compiles nothing; a changed model is compiled again.
  object=$embed/cnnc_models/cnn_model.o
  touch "$work/stamp"
  sleep 1
  logged embed-rebuild "$cmake" --build "$embed" --parallel 1
  [[ $object -nt $work/stamp ]] && fail "a rebuild with nothing changed ran cnnc again"
  touch "$work/model.mlir"
  logged embed-rebuild-model "$cmake" --build "$embed" --parallel 1
  [[ $object -nt $work/stamp ]] || fail "touching the model did not recompile it"
  touch "$work/stamp"
  sleep 1
  touch "$prefix/bin/cnnc"
  logged embed-rebuild-cnnc "$cmake" --build "$embed" --parallel 1
  [[ $object -nt $work/stamp ]] || fail "a newer cnnc did not recompile the model"
fi

# A dynamic batch (if this cnnc compiles one): embed runs 2 images through
# cnn_model_run_batch, the input of the batch-2 executable.
if "$prefix/bin/cnnc" --help 2>&1 | grep -q -- '--batch='; then
  dynamic=$work/embed-dynamic
  if configure embed-dynamic-configure "$root/examples/embed" "$dynamic" \
       -DCNNC_EXAMPLE_MODEL="$work/model.mlir" -DCNNC_EXAMPLE_OPTIONS=--batch=dynamic &&
     logged embed-dynamic-build "$cmake" --build "$dynamic" --parallel 1 &&
     logged embed-dynamic-run "$dynamic/embed"; then
    grep -q '^dynamic batch' "$work/embed-dynamic-run.log" ||
      fail "--batch=dynamic: embed did not see a dynamic batch: $(head -4 "$work/embed-dynamic-run.log")"
    got=$(top1_of_embed "$work/embed-dynamic-run.log")
    [[ -n $got && $got == "$reference" ]] ||
      fail "--batch=dynamic: embed [$(tr '\n' ' ' <<<"$got")] vs executable [$(tr '\n' ' ' <<<"$reference")]"
  fi
else
  echo "note: this cnnc has no --batch option; dynamic batch not tested"
fi

# 5. The other imported targets, the default model name and OPTIONS.
mkdir -p "$work/consumer"
cat >"$work/consumer/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.20)
project(cnnc_consumer LANGUAGES C)
find_package(cnnc $version EXACT REQUIRED)
foreach(target cnnc::cnnc cnnc::cnnrt cnnc::cnnrt_shared cnnc::cnnrt_main)
  if(NOT TARGET \${target})
    message(FATAL_ERROR "find_package(cnnc) defines no \${target}")
  endif()
endforeach()
# The runtime as a shared library.
add_executable(threads threads.c)
target_link_libraries(threads PRIVATE cnnc::cnnrt_shared)
# A model executable as cnnc links it: the model, cnnrt_main and cnnrt.
add_executable(model_main)
set_target_properties(model_main PROPERTIES LINKER_LANGUAGE C)
cnnc_add_model(model_main ${work}/model.mlir NAME cnn_model
               OPTIONS --winograd=off)
target_link_libraries(model_main PRIVATE cnnc::cnnrt_main)
# The default name: the model file's stem (model.mlir: model.h, model_run).
add_executable(default_name default_name.c)
cnnc_add_model(default_name ${work}/model.mlir)
CMAKE
cat >"$work/consumer/threads.c" <<'C'
#include <cnnrt/cnnrt.h>
#include <stdio.h>
int main(void) {
  cnnrt_set_num_threads(3);
  int threads = cnnrt_get_num_threads();
  printf("threads: %d\n", threads);
  return threads == 3 ? 0 : 1;
}
C
cat >"$work/consumer/default_name.c" <<'C'
#include "model.h"
#include <stdio.h>
int main(void) {
  printf("input rank: %d\n", (int)model_input_rank());
  return model_input_rank() > 0 ? 0 : 1;
}
C
consumer=$work/consumer-build
if configure consumer-configure "$work/consumer" "$consumer" &&
   logged consumer-build "$cmake" --build "$consumer" --parallel 1 --verbose; then
  grep -q -- '--emit=obj --name=cnn_model --winograd=off' "$work/consumer-build.log" ||
    fail "cnnc_add_model did not pass OPTIONS to cnnc"
  logged consumer-threads "$consumer/threads"
  readelf -d "$consumer/threads" | grep -q "(NEEDED).*\[libcnnrt\.so\." ||
    fail "cnnc::cnnrt_shared: threads does not load libcnnrt.so"
  [[ -f $consumer/cnnc_models/model.h ]] || fail "default name: no cnnc_models/model.h"
  logged consumer-default-name "$consumer/default_name"
  if logged consumer-model-main "$consumer/model_main"; then
    got=$(top1_of_model "$work/consumer-model-main.log")
    [[ -n $got && $got == "$reference" ]] ||
      fail "model_main (cnnc::cnnrt_main) differs from the executable cnnc linked:" \
        "[$(tr '\n' ' ' <<<"$got")] vs [$(tr '\n' ' ' <<<"$reference")]"
  fi
fi

# 6. pkg-config, with the shared runtime.
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
if flags=$(pkg-config --cflags --libs cnnrt 2>"$work/pkg-config.log"); then
  pc_version=$(pkg-config --modversion cnnrt)
  [[ $pc_version == "$version" ]] || fail "cnnrt.pc version '$pc_version', cnnc $version"
  # shellcheck disable=SC2086 # the flags are words
  if logged pkg-config-cc "$cc" -o "$work/threads-pc" "$work/consumer/threads.c" $flags; then
    readelf -d "$work/threads-pc" | grep -q "(NEEDED).*\[libcnnrt\.so\." ||
      fail "pkg-config: the program does not load libcnnrt.so"
    LD_LIBRARY_PATH=$prefix/lib logged pkg-config-run "$work/threads-pc"
  fi
  pkg-config --static --libs cnnrt | grep -q -- '-lpthread' ||
    fail "pkg-config --static --libs cnnrt lacks -lpthread"
else
  fail "pkg-config --cflags --libs cnnrt: $(cat "$work/pkg-config.log")"
fi

if ((failures)); then
  echo "install.outside_project: $failures failures"
  exit 1
fi
echo "install.outside_project: ok: embed [$(tr '\n' ' ' <<<"$reference")] == executable; $(cat "$work/consumer-threads.log")"
