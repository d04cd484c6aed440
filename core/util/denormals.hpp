// Denormal floats (magnitudes below 1.2e-38) make x86 CPUs take a ~100x slower path for every
// operation that touches them. Training produces them (saturated sigmoids, gradients through
// them, decaying Adam moments) and a fine-tuning run measured 8x slower for it. This guard turns
// on flush-to-zero and denormals-are-zero for the current thread (threads it starts inherit the
// mode on Linux) and restores the previous mode when it goes out of scope. Where there is no SSE
// control register (wasm) it does nothing; the layers also flush the worst cases explicitly.
#pragma once
#if (defined(__SSE__) || defined(_M_X64)) && !defined(__EMSCRIPTEN__)  // Emscripten's SSE emulation has no _mm_setcsr
#include <xmmintrin.h>
#define SCPT_HAVE_MXCSR 1
#endif

namespace scpt {

class FlushDenormals {
public:
#ifdef SCPT_HAVE_MXCSR
    FlushDenormals() : saved_(_mm_getcsr()) { _mm_setcsr(saved_ | 0x8040u); }  // FTZ | DAZ
    ~FlushDenormals() { _mm_setcsr(saved_); }
#else
    FlushDenormals() {}
#endif
    FlushDenormals(const FlushDenormals&) = delete;
    FlushDenormals& operator=(const FlushDenormals&) = delete;

private:
#ifdef SCPT_HAVE_MXCSR
    unsigned saved_;
#endif
};

}  // namespace scpt
