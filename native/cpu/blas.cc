// sgemm: OpenBLAS (kept single-threaded, its slices handed out by our pool), oneDNN's sgemm (its OpenMP team sized
// to our pool), or the built-in packed GEMM; TENSORNODE_GEMM / setCpuGemm chooses among those this build has.
// One thread pool per process: OpenBLAS's own workers would spin against ours between GEMMs.
#include "blas.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <string>

#include "gemm_builtin.h"
#include "thread_pool.h"

#ifdef TENSORNODE_HAVE_CBLAS
#include <cblas.h>
extern "C" void openblas_set_num_threads(int);
extern "C" char* openblas_get_corename(void);
#endif

#ifdef TENSORNODE_HAVE_DNNL
#include <oneapi/dnnl/dnnl.h>

#include "onednn/dnnl_common.h"
#endif

namespace tn {

namespace {

enum class Gemm : int { OpenBlas, OneDnn, Builtin };

constexpr bool kHaveOpenBlas =
#ifdef TENSORNODE_HAVE_CBLAS
    true;
#else
    false;
#endif
constexpr bool kHaveOneDnn =
#ifdef TENSORNODE_HAVE_DNNL
    true;
#else
    false;
#endif

bool parseGemm(const char* name, Gemm& out) {
  if (std::strcmp(name, "openblas") == 0 && kHaveOpenBlas) out = Gemm::OpenBlas;
  else if (std::strcmp(name, "onednn") == 0 && kHaveOneDnn) out = Gemm::OneDnn;
  else if (std::strcmp(name, "builtin") == 0) out = Gemm::Builtin;
  else return false;
  return true;
}

std::atomic<int> gGemm{[] {
  Gemm g = kHaveOpenBlas ? Gemm::OpenBlas : Gemm::Builtin;
  if (const char* env = std::getenv("TENSORNODE_GEMM")) parseGemm(env, g);  // an unknown name keeps the default
  return static_cast<int>(g);
}()};

#ifdef TENSORNODE_HAVE_CBLAS
// OpenBLAS stays at one thread for the life of the process (set before the first GEMM).
const bool kBlasSingleThreaded = [] {
  openblas_set_num_threads(1);
  return true;
}();
#endif

// Below this many multiply-adds a GEMM runs on the calling thread: splitting costs more than it saves.
constexpr int64_t kParallelGemmFlops = int64_t(1) << 18;

// One single-threaded GEMM on the calling thread.
void gemmOnThisThread(Gemm g, bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
                      int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
#ifdef TENSORNODE_HAVE_CBLAS
  if (g == Gemm::OpenBlas) {
    (void)kBlasSingleThreaded;
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, (int)M,
                (int)N, (int)K, alpha, A, (int)lda, B, (int)ldb, beta, C, (int)ldc);
    return;
  }
#endif
  (void)g;
  builtinSgemm(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

}  // namespace

void sgemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda,
           const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  Gemm g = static_cast<Gemm>(gGemm.load(std::memory_order_relaxed));
#ifdef TENSORNODE_HAVE_DNNL
  // oneDNN threads its own sgemm (OpenMP team sized to the pool); inside a pool slice it would nest teams, so a
  // slice's GEMM (conv fallback) runs on the built-in kernel instead.
  if (g == Gemm::OneDnn && !insideParallelFor()) {
    onednn::prepareThreads(M * N * K);
    if (dnnl_sgemm(transA ? 'T' : 'N', transB ? 'T' : 'N', M, N, K, alpha, A, lda, B, ldb, beta, C, ldc) ==
        dnnl_success)
      return;
  }
  if (g == Gemm::OneDnn) g = Gemm::Builtin;
#endif
  // Split C into one block per pool thread (rows when M is the larger side, else columns); each block is one
  // single-threaded call. Inside a parallelFor (a conv slot) the split runs inline, i.e. one call.
  if (M * N * K < kParallelGemmFlops || cpuThreadCount() == 1) {
    gemmOnThisThread(g, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
  } else if (M >= N) {
    parallelFor(M, 16, [&](int64_t b, int64_t e) {
      gemmOnThisThread(g, transA, transB, e - b, N, K, alpha, transA ? A + b : A + b * lda, lda, B, ldb, beta,
                       C + b * ldc, ldc);
    });
  } else {
    parallelFor(N, 16, [&](int64_t b, int64_t e) {
      gemmOnThisThread(g, transA, transB, M, e - b, K, alpha, A, lda, transB ? B + b * ldb : B + b, ldb, beta, C + b,
                       ldc);
    });
  }
}

const char* blasName() {
  switch (static_cast<Gemm>(gGemm.load())) {
    case Gemm::OpenBlas: return "openblas";
    case Gemm::OneDnn: return "onednn";
    default: return "builtin";
  }
}

Status setGemm(const std::string& name) {
  Gemm g;
  TN_CHECK(parseGemm(name.c_str(), g), Value, "setCpuGemm: '", name, "' is not available in this build (have: ",
           kHaveOpenBlas ? "openblas, " : "", kHaveOneDnn ? "onednn, " : "", "builtin)");
  gGemm = static_cast<int>(g);
  return Status::ok();
}

std::string blasCoreType() {
#ifdef TENSORNODE_HAVE_CBLAS
  const char* core = openblas_get_corename();
  return core ? core : "";
#else
  return "";
#endif
}

}  // namespace tn
