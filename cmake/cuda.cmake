# Decides whether to build the CUDA module (tensornode_cuda.so, dlopen()ed by the addon): TENSORNODE_CUDA=0 forces it off, =1 makes missing pieces a configure error.
# Needs nvcc, the CUDA runtime, cuBLAS and cuDNN 9. cuBLAS/cuDNN are also looked up in the pip-wheel layout
# (CUBLAS_ROOT / CUDNN_ROOT, e.g. from tools/fetch-cuda-libs.sh, or site-packages/nvidia/{cu13,cublas,cudnn}).
set(TN_CUDA_REQUEST "$ENV{TENSORNODE_CUDA}")
if(DEFINED TENSORNODE_CUDA)
  set(TN_CUDA_REQUEST "${TENSORNODE_CUDA}")
endif()
if(TN_CUDA_REQUEST STREQUAL "0")
  message(STATUS "tensornode: CUDA backend disabled (TENSORNODE_CUDA=0)")
  return()
endif()

# Reports a missing piece: fatal when CUDA was requested, else a note and a CPU-only build.
macro(tn_cuda_missing what)
  if(TN_CUDA_REQUEST STREQUAL "1")
    message(FATAL_ERROR "tensornode: TENSORNODE_CUDA=1 but ${what}")
  endif()
  message(STATUS "tensornode: building CPU-only, CUDA backend skipped: ${what} (set TENSORNODE_CUDA=1 to make this an error)")
  return()
endmacro()

# ---- nvcc ----
include(CheckLanguage)
check_language(CUDA)
if(NOT CMAKE_CUDA_COMPILER)
  tn_cuda_missing("no CUDA compiler (nvcc) was found; put it on PATH or set CUDACXX")
endif()

# ---- CUDA runtime (toolkit) ----
find_package(CUDAToolkit QUIET)
if(NOT CUDAToolkit_FOUND OR NOT TARGET CUDA::cudart)
  tn_cuda_missing("the CUDA toolkit runtime (libcudart, cuda_runtime.h) was not found; set CUDAToolkit_ROOT")
endif()

# Python site-packages holding pip-installed NVIDIA wheels (nvidia/cudnn, nvidia/cu13, nvidia/cublas).
set(TN_PIP_NVIDIA_DIRS "")
find_program(TN_PYTHON3 NAMES python3 python)
if(TN_PYTHON3)
  execute_process(COMMAND ${TN_PYTHON3} -c "import site,sys; print(';'.join(site.getsitepackages() + [site.getusersitepackages()]))"
    OUTPUT_VARIABLE TN_SITE_DIRS OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE TN_SITE_RC)
  if(TN_SITE_RC EQUAL 0)
    foreach(d IN LISTS TN_SITE_DIRS)
      if(IS_DIRECTORY "${d}/nvidia")
        list(APPEND TN_PIP_NVIDIA_DIRS "${d}/nvidia")
      endif()
    endforeach()
  endif()
endif()

# ---- cuBLAS: CUBLAS_ROOT (pip layout or a toolkit), the pip wheels, then the toolkit ----
set(TN_CUBLAS_HINTS "")
foreach(root IN ITEMS "${CUBLAS_ROOT}" "$ENV{CUBLAS_ROOT}")
  if(root)
    list(APPEND TN_CUBLAS_HINTS "${root}")
  endif()
endforeach()
foreach(d IN LISTS TN_PIP_NVIDIA_DIRS)
  list(APPEND TN_CUBLAS_HINTS "${d}/cu13" "${d}/cublas")
endforeach()
list(APPEND TN_CUBLAS_HINTS ${CUDAToolkit_LIBRARY_ROOT} ${CUDAToolkit_TARGET_DIR})
# Wheels ship only versioned sonames (libcublas.so.13), so the versioned names are listed too.
find_path(TN_CUBLAS_INCLUDE_DIR cublas_v2.h HINTS ${TN_CUBLAS_HINTS} ${CUDAToolkit_INCLUDE_DIRS} PATH_SUFFIXES include NO_CACHE)
find_library(TN_CUBLAS_LIBRARY NAMES cublas libcublas.so.13 libcublas.so.12 HINTS ${TN_CUBLAS_HINTS} ${CUDAToolkit_LIBRARY_DIR}
  PATH_SUFFIXES lib lib64 NO_CACHE)
if(NOT TN_CUBLAS_INCLUDE_DIR OR NOT TN_CUBLAS_LIBRARY)
  tn_cuda_missing("cuBLAS (cublas_v2.h + libcublas) was not found; set CUBLAS_ROOT (tools/fetch-cuda-libs.sh installs it)")
endif()
get_filename_component(TN_CUBLAS_LIBDIR "${TN_CUBLAS_LIBRARY}" DIRECTORY)

# ---- cuDNN 9: CUDNN_ROOT / CUDNN_PATH, the pip wheel, then system paths ----
set(TN_CUDNN_HINTS "")
foreach(root IN ITEMS "${CUDNN_ROOT}" "$ENV{CUDNN_ROOT}" "$ENV{CUDNN_PATH}")
  if(root)
    list(APPEND TN_CUDNN_HINTS "${root}")
  endif()
endforeach()
foreach(d IN LISTS TN_PIP_NVIDIA_DIRS)
  list(APPEND TN_CUDNN_HINTS "${d}/cudnn")
endforeach()
list(APPEND TN_CUDNN_HINTS ${CUDAToolkit_LIBRARY_ROOT})
find_path(TN_CUDNN_INCLUDE_DIR cudnn.h HINTS ${TN_CUDNN_HINTS} ${CUDAToolkit_INCLUDE_DIRS}
  PATH_SUFFIXES include include/x86_64-linux-gnu include/aarch64-linux-gnu NO_CACHE)
find_library(TN_CUDNN_LIBRARY NAMES cudnn libcudnn.so.9 HINTS ${TN_CUDNN_HINTS}
  PATH_SUFFIXES lib lib64 lib/x86_64-linux-gnu lib/aarch64-linux-gnu NO_CACHE)
if(NOT TN_CUDNN_INCLUDE_DIR OR NOT TN_CUDNN_LIBRARY)
  tn_cuda_missing("cuDNN (cudnn.h + libcudnn) was not found; set CUDNN_ROOT or CUDNN_PATH (tools/fetch-cuda-libs.sh installs it)")
endif()
set(TN_CUDNN_VERSION_HEADER "${TN_CUDNN_INCLUDE_DIR}/cudnn_version.h")
if(NOT EXISTS "${TN_CUDNN_VERSION_HEADER}")
  tn_cuda_missing("cuDNN at ${TN_CUDNN_INCLUDE_DIR} has no cudnn_version.h (cuDNN 9 is required)")
endif()
file(STRINGS "${TN_CUDNN_VERSION_HEADER}" TN_CUDNN_MAJOR_LINE REGEX "^#define CUDNN_MAJOR [0-9]+")
string(REGEX MATCH "[0-9]+" TN_CUDNN_MAJOR "${TN_CUDNN_MAJOR_LINE}")
if(NOT TN_CUDNN_MAJOR STREQUAL "9")
  tn_cuda_missing("cuDNN at ${TN_CUDNN_INCLUDE_DIR} is version ${TN_CUDNN_MAJOR}, cuDNN 9 is required")
endif()
get_filename_component(TN_CUDNN_LIBDIR "${TN_CUDNN_LIBRARY}" DIRECTORY)

# ---- all found: build native/cuda as the module tensornode_cuda.so beside the addon ----
# The core addon never links cudart/cuBLAS/cuDNN: it dlopen()s this module at run time when present
# (native/core/cuda_loader.cc), so the same build loads on machines without CUDA and reports exactly why.
# SASS for Ampere (sm_80) and Hopper (sm_90) plus their PTX, which newer GPUs JIT; never "native" (CI has no GPU).
if(NOT CMAKE_CUDA_ARCHITECTURES)
  set(CMAKE_CUDA_ARCHITECTURES "80;90")
endif()
set(CMAKE_CUDA_STANDARD 17)
set(CMAKE_CUDA_STANDARD_REQUIRED ON)
enable_language(CUDA)

file(STRINGS "${CMAKE_SOURCE_DIR}/native/cuda/sources.txt" TN_CUDA_SOURCE_LINES)
# Re-run the configure step when the source list changes.
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/native/cuda/sources.txt")
set(TN_CUDA_SOURCES "")
foreach(line IN LISTS TN_CUDA_SOURCE_LINES)
  string(STRIP "${line}" line)
  if(line AND NOT line MATCHES "^#")
    list(APPEND TN_CUDA_SOURCES "${CMAKE_SOURCE_DIR}/${line}")
  endif()
endforeach()
# The module carries its own private copy of the core helpers its kernels use (kernel table, attrs, param
# checks): every native/core source of the addon except the backend registry and the module loader.
foreach(src IN LISTS TN_SOURCES)
  if(src MATCHES "/native/core/" AND NOT src MATCHES "/(backend_registry|cuda_loader)\\.cc$")
    list(APPEND TN_CUDA_SOURCES "${src}")
  endif()
endforeach()

add_library(tensornode_cuda MODULE ${TN_CUDA_SOURCES})
set_target_properties(tensornode_cuda PROPERTIES
  PREFIX ""
  CUDA_RUNTIME_LIBRARY Shared
  CUDA_ARCHITECTURES "${CMAKE_CUDA_ARCHITECTURES}"
  # Only tn_cuda_module_init is exported; the module's copies of core symbols stay private.
  CXX_VISIBILITY_PRESET hidden
  CUDA_VISIBILITY_PRESET hidden
  VISIBILITY_INLINES_HIDDEN ON)
target_compile_definitions(tensornode_cuda PRIVATE TENSORNODE_CUDA_MODULE)
target_include_directories(tensornode_cuda PRIVATE ${TN_CUBLAS_INCLUDE_DIR} ${TN_CUDNN_INCLUDE_DIR})
# Shared cudart (it loads libcuda lazily, so the module also loads without a driver); libcuda is never linked.
target_link_libraries(tensornode_cuda PRIVATE CUDA::cudart ${TN_CUBLAS_LIBRARY} ${TN_CUDNN_LIBRARY} Threads::Threads)
# Every symbol must resolve inside the module or its CUDA libraries (it cannot see the addon's symbols).
target_link_options(tensornode_cuda PRIVATE "LINKER:--no-undefined")
target_compile_options(tensornode_cuda PRIVATE $<$<COMPILE_LANGUAGE:CUDA>:--expt-relaxed-constexpr>)

# Find exactly the libraries the module was built against at load time (pip wheels are not on the loader path).
get_filename_component(TN_CUDART_LIBDIR "${CUDA_cudart_LIBRARY}" DIRECTORY)
set(TN_CUDA_RPATH "${TN_CUDART_LIBDIR};${TN_CUBLAS_LIBDIR};${TN_CUDNN_LIBDIR}")
list(REMOVE_DUPLICATES TN_CUDA_RPATH)
set_property(TARGET tensornode_cuda APPEND PROPERTY BUILD_RPATH "${TN_CUDA_RPATH}")
set_property(TARGET tensornode_cuda APPEND PROPERTY INSTALL_RPATH "${TN_CUDA_RPATH}")

message(STATUS "tensornode: CUDA module enabled (nvcc ${CMAKE_CUDA_COMPILER_VERSION}, archs ${CMAKE_CUDA_ARCHITECTURES})")
message(STATUS "tensornode:   cuBLAS ${TN_CUBLAS_LIBRARY}")
message(STATUS "tensornode:   cuDNN  ${TN_CUDNN_LIBRARY} (headers ${TN_CUDNN_INCLUDE_DIR})")
