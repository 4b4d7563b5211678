# lit configuration of the cnnc test suite.
import os

import lit.formats

config.name = "cnnc"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.cnnc_obj_root, "test", "lit")

config.environment["PATH"] = os.pathsep.join(
    [config.cnnc_tools_dir, config.llvm_tools_dir, config.environment.get("PATH", "")]
)
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%cnnc", os.path.join(config.cnnc_tools_dir, "cnnc")))
config.substitutions.append(("%e2e", os.path.join(config.cnnc_src_root, "test", "e2e")))
config.substitutions.append(("%examples", os.path.join(config.cnnc_src_root, "examples")))
config.substitutions.append(("%cnnrt_include", os.path.join(config.cnnc_src_root, "runtime", "include")))
config.substitutions.append(("%cnnrt_libdir", os.path.join(config.cnnc_obj_root, "lib")))

# The sanitizer build (scripts/sanitize.sh): tools and models run under
# ASan/UBSan, which valgrind cannot host.
sanitize = config.cnnc_sanitize.upper() in ("ON", "1", "TRUE", "YES")
if sanitize:
    config.available_features.add("asan")
# C programs that link a model library link its instrumented runtime too.
config.substitutions.append(
    ("%sanitize_flags", "-fsanitize=address,undefined" if sanitize else ""))
for name in ("ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS"):
    if name in os.environ:
        config.environment[name] = os.environ[name]

# CNNC_NATIVE_CPU=znver3 runs the suite with the code and kernel decisions
# an AVX2-only host gets (scripts/test-isa.sh); the CPU features below stay
# the real host's, which runs the binaries.
if os.environ.get("CNNC_NATIVE_CPU"):
    config.environment["CNNC_NATIVE_CPU"] = os.environ["CNNC_NATIVE_CPU"]

# Transparent huge pages for madvise()d memory: a compiled model moves its
# weights onto them (runtime/src/constants.c).
try:
    with open("/sys/kernel/mm/transparent_hugepage/enabled") as thp:
        thp_setting = thp.read()
    if "[always]" in thp_setting or "[madvise]" in thp_setting:
        config.available_features.add("thp")
except OSError:
    pass

# This CPU's features (x86-64 Linux), for tests of binaries compiled for
# other CPUs: `cpu-avx512f`, ..., and %unsupported_cpu, a --target-cpu
# whose code this CPU cannot run (feature `has-unsupported-cpu`).
cpu_flags = set()
try:
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("flags"):
                cpu_flags = set(line.split(":", 1)[1].split())
                break
except OSError:
    pass
for flag in ("avx2", "fma", "avx512f", "avx512_fp16"):
    if flag in cpu_flags:
        config.available_features.add("cpu-" + flag.replace("_", ""))
if cpu_flags and "avx512f" not in cpu_flags:
    unsupported_cpu = "x86-64-v4"
elif cpu_flags and "avx512_fp16" not in cpu_flags:
    unsupported_cpu = "sapphirerapids"
else:
    unsupported_cpu = None
if unsupported_cpu:
    config.available_features.add("has-unsupported-cpu")
    config.substitutions.append(("%unsupported_cpu", unsupported_cpu))
