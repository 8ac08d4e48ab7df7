// The 8-bit GEMM micro-kernel on AMX tiles (tdpbusd; this file alone is compiled with AMX-TILE and AMX-INT8
// enabled, see CMakeLists.txt). Eight tiles of 16 rows x 64 bytes: four int32 accumulators (32 rows x 2 panels),
// two A tiles (16 rows x 64 k) and two B tiles (16 groups of 4 k x 16 columns). A B tile is 1 KiB of a packed
// panel as it lies (QgemmPackedB's layout is the tile's), so the weights need no second packing.
#include <immintrin.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>

#include "ep/cpu/ukernels/int8_gemm_isa.h"

// GCC names the macros __AMX_TILE__ / __AMX_INT8__, clang __AMXTILE__ / __AMXINT8__.
#if !(defined(__AMX_INT8__) || defined(__AMXINT8__)) || !(defined(__AMX_TILE__) || defined(__AMXTILE__))
#error "int8_gemm__amx.cc must be compiled with AMX-TILE and AMX-INT8 enabled"
#endif

namespace onyx::cpu {

namespace {

struct alignas(64) TileConfig {
  uint8_t palette = 1;
  uint8_t start_row = 0;
  uint8_t reserved[14] = {};
  uint16_t colsb[16] = {};
  uint8_t rows[16] = {};
};

TileConfig FullTiles() {
  TileConfig cfg;
  for (int t = 0; t < 8; ++t) {
    cfg.colsb[t] = 64;
    cfg.rows[t] = 16;
  }
  return cfg;
}

}  // namespace

bool Int8GemmAmxUsable() {
  // Linux hands out the tile data state only on request (arch_prctl ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA);
  // without it the first tile instruction faults.
  static const bool ok = [] {
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    __asm__("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(0));
    if (eax < 7) return false;
    __asm__("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(7), "c"(0));
    if ((edx & (1u << 24)) == 0 || (edx & (1u << 25)) == 0) return false;
    constexpr long kArchReqXcompPerm = 0x1023, kXfeatureXtiledata = 18;
    return syscall(SYS_arch_prctl, kArchReqXcompPerm, kXfeatureXtiledata) == 0;
  }();
  return ok;
}

void Int8GemmAmxConfigure() {
  static const TileConfig kConfig = FullTiles();
  _tile_loadconfig(&kConfig);
}

void Int8GemmAmxRelease() { _tile_release(); }

void Int8GemmAmx(const uint8_t* a, int64_t rows, int64_t a_stride, const int8_t* b, int64_t b_stride, int64_t panels,
                 int32_t* c, int64_t ldc) {
  const int64_t c_stride = ldc * 4;
  // The whole of K with the accumulators in their tiles: storing and reloading them between K chunks (so that a
  // chunk's A rows and B panels stayed in the first-level cache) cost more than it saved, 5-8% of the kernel's
  // time on the K of 576-4608 of ResNet-50's convolutions (thread CPU time, Emerald Rapids).
  for (int64_t p0 = 0; p0 < panels; p0 += 2) {
    const bool two_cols = p0 + 1 < panels;
    const int8_t* b0 = b + p0 * b_stride;
    const int8_t* b1 = b0 + b_stride;
    for (int64_t r0 = 0; r0 < rows; r0 += 32) {
      const bool two_rows = r0 + 16 < rows;
      const uint8_t* a0 = a + r0 * a_stride;
      const uint8_t* a1 = a0 + 16 * a_stride;
      int32_t* c0 = c + r0 * ldc + p0 * 16;
      _tile_zero(0);
      _tile_zero(1);
      _tile_zero(2);
      _tile_zero(3);
      if (two_rows && two_cols) {
        for (int64_t kk = 0; kk < a_stride; kk += 64) {
          _tile_loadd(4, a0 + kk, a_stride);
          _tile_loadd(6, b0 + kk * 16, 64);
          _tile_dpbusd(0, 4, 6);
          _tile_loadd(5, a1 + kk, a_stride);
          _tile_dpbusd(2, 5, 6);
          _tile_loadd(7, b1 + kk * 16, 64);
          _tile_dpbusd(1, 4, 7);
          _tile_dpbusd(3, 5, 7);
        }
      } else {
        for (int64_t kk = 0; kk < a_stride; kk += 64) {
          _tile_loadd(4, a0 + kk, a_stride);
          _tile_loadd(6, b0 + kk * 16, 64);
          _tile_dpbusd(0, 4, 6);
          if (two_cols) {
            _tile_loadd(7, b1 + kk * 16, 64);
            _tile_dpbusd(1, 4, 7);
          }
          if (two_rows) {
            _tile_loadd(5, a1 + kk, a_stride);
            _tile_dpbusd(2, 5, 6);
          }
        }
      }
      _tile_stored(0, c0, c_stride);
      if (two_cols) _tile_stored(1, c0 + 16, c_stride);
      if (two_rows) {
        _tile_stored(2, c0 + 16 * ldc, c_stride);
        if (two_cols) _tile_stored(3, c0 + 16 * ldc + 16, c_stride);
      }
    }
  }
}

}  // namespace onyx::cpu
