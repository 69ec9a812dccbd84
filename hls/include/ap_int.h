// tickforge C-simulation stand-in for the Vitis HLS arbitrary precision
// integer types ap_int<W> / ap_uint<W>, restricted to 1 <= W <= 64.
//
// Written from the documented behaviour in AMD UG1399 (Vitis HLS User
// Guide), chapter "C++ Arbitrary Precision Integer Types" (sections "Class
// Methods and Operators", "Other Class Methods, Operators, and Data
// Members", "Expressions Involving ap_[u]<> types"). Where the guide is
// silent, the behaviour of the vendor's C-simulation model (Apache-2.0,
// github.com/Xilinx/HLS_arbitrary_Precision_Types) was consulted as a
// specification only; no code was taken from it. Every semantic choice is
// described next to the code that makes it.
//
// Design:
//  * Each value lives in one uint64_t (`raw_`) that is ALWAYS normalised:
//    ap_uint<W> keeps bits >= W cleared, ap_int<W> keeps them equal to the
//    sign bit (raw_ is the 64-bit two's complement image of the value). So
//    for every object, raw_ == value mod 2^64, and widening to any type is
//    just re-normalising raw_.
//  * Binary operators return the Vitis result types (see ap_detail::rtype).
//    Those types are always wide enough for the exact result, so every
//    + - * / % & | ^ below is exact. If a Vitis result type would be wider
//    than 64 bits the expression does NOT compile (static_assert): this
//    header never truncates silently. Compound assignments (+= etc.) wrap to
//    the destination width, exactly as in Vitis, and therefore work for any
//    widths.
//  * range(), operator[] and operator, (concatenation) return proxy objects
//    that are usable as values (they derive from ap_uint<...>) and as
//    assignment targets (writes go through to the referenced variables).
//  * Misuse is loud: out-of-range bit/range indices, division by zero and
//    bit-reversed ranges print a message and abort().

#ifndef TICKFORGE_HLS_AP_INT_H
#define TICKFORGE_HLS_AP_INT_H

#ifndef __cplusplus
#error "ap_int.h requires C++"
#endif
#if __cplusplus < 201703L
#error "tickforge ap_int.h requires C++17 or newer"
#endif

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ostream>
#include <type_traits>
#include <utility>

template <int W, bool S> struct ap_int_base;
template <int W> struct ap_int;
template <int W> struct ap_uint;
template <int W, bool S> struct ap_range_ref;
template <int W, bool S> struct ap_bit_ref;
template <class H, class L> struct ap_concat_ref;

namespace ap_detail {

// Common empty base of every ap type (including the proxies); used to
// recognise "an ap type" in the concatenation operator.
struct ap_tag {};

template <class T>
struct is_ap : std::is_base_of<ap_tag, typename std::decay<T>::type> {};

template <class T>
using bare_t = typename std::remove_cv<typename std::remove_reference<T>::type>::type;

template <int W, bool S> struct select { using type = ap_uint<W>; };
template <int W> struct select<W, true> { using type = ap_int<W>; };

constexpr int clamp_w(int w) { return w > 64 ? 64 : (w < 1 ? 1 : w); }

// ap_int<W> or ap_uint<W>. The width is clamped only so that an over-wide
// result type can still be *named*; using it trips check_result_width.
template <int W, bool S> using ty = typename select<clamp_w(W), S>::type;

constexpr int max_i(int a, int b) { return a > b ? a : b; }
constexpr int min_i(int a, int b) { return a < b ? a : b; }

// Low w bits set, 1 <= w <= 64.
constexpr uint64_t mask(int w) { return ~uint64_t(0) >> (64 - w); }

// Normalise a 64-bit two's complement image to width w / signedness s:
// truncate to w bits, then zero-extend (s == false) or sign-extend (s ==
// true) back to 64 bits. Pure unsigned arithmetic, no UB, 1 <= w <= 64.
constexpr uint64_t norm(uint64_t v, int w, bool s) {
  return s ? (((v & mask(w)) ^ (uint64_t(1) << (w - 1))) -
              (uint64_t(1) << (w - 1)))
           : (v & mask(w));
}

constexpr int64_t to_s64(uint64_t v) {
  return (v >> 63) ? -static_cast<int64_t>(~v) - 1 : static_cast<int64_t>(v);
}

[[noreturn]] inline void fail(const char* what) {
  std::fprintf(stderr, "ERROR [tickforge ap_int.h]: %s\n", what);
  std::fflush(stderr);
  std::abort();
}

// Result types of binary operators, UG1399 "Binary Arithmetic Operators".
// The guide: "The width and signedness of the resulting value is determined
// by the width and signedness of the operands"; e.g. the sum is "one bit
// more than the wider of the two operands, or two bits if and only if the
// wider is unsigned and the narrower is signed", and it is signed if either
// operand is. In general form (an unsigned operand needs one extra bit to
// be represented in a signed result):
//   ext1 = W1 + (S2 && !S1),  ext2 = W2 + (S1 && !S2)
//   +  : max(ext1, ext2) + 1, signed iff S1 || S2
//   -  : max(ext1, ext2) + 1, always signed
//   *  : W1 + W2,             signed iff S1 || S2
//   /  : W1 + S2,             signed iff S1 || S2
//   %  : min(W1, W2 + (S1 && !S2)), signedness of the dividend
//   & | ^ : max(ext1, ext2),  signed iff S1 || S2
// Every one of these is wide enough for the exact mathematical result.
template <int W1, bool S1, int W2, bool S2>
struct rtype {
  static constexpr int ext1 = W1 + ((S2 && !S1) ? 1 : 0);
  static constexpr int ext2 = W2 + ((S1 && !S2) ? 1 : 0);
  static constexpr int plus_w = max_i(ext1, ext2) + 1;
  static constexpr bool plus_s = S1 || S2;
  static constexpr int minus_w = max_i(ext1, ext2) + 1;
  static constexpr bool minus_s = true;
  static constexpr int mult_w = W1 + W2;
  static constexpr bool mult_s = S1 || S2;
  static constexpr int div_w = W1 + (S2 ? 1 : 0);
  static constexpr bool div_s = S1 || S2;
  static constexpr int mod_w = min_i(W1, W2 + ((S1 && !S2) ? 1 : 0));
  static constexpr bool mod_s = S1;
  static constexpr int logic_w = max_i(ext1, ext2);
  static constexpr bool logic_s = S1 || S2;
};

template <int RW>
constexpr void check_result_width() {
  static_assert(RW <= 64,
                "tickforge ap_int.h: the Vitis HLS result type of this "
                "expression would be wider than 64 bits. This C-simulation "
                "header keeps values in 64 bits and refuses to truncate "
                "silently: narrow an operand with an explicit cast, or use a "
                "compound assignment (which wraps to the destination width).");
}

// C/C++ integral operands behave as ap types of their own width and
// signedness (UG1399: char 8, short 16, int 32, long long 64 bits; bool is
// treated as ap_uint<1>; long uses the platform width, 64 on LP64 Linux).
template <class T>
struct cint {
  static constexpr int width =
      std::is_same<T, bool>::value ? 1 : int(sizeof(T) * 8);
  static constexpr bool sign = std::is_signed<T>::value;
};

template <class T>
using enable_cint = typename std::enable_if<
    std::is_integral<typename std::decay<T>::type>::value, int>::type;

template <class T>
using as_ap_t = ty<cint<T>::width, cint<T>::sign>;

template <class T>
inline as_ap_t<T> as_ap(T v) {
  return as_ap_t<T>(v);
}

template <int W, bool S>
inline ty<W, S> make(uint64_t v) {
  ty<W, S> r;
  r.raw_ = norm(v, clamp_w(W), S);
  return r;
}

// Exact truncating (toward zero) division of two values given as 64-bit
// two's complement images with their signedness: quotient has the sign of
// a*b, remainder the sign of a. Magnitudes are computed in uint64_t, so even
// INT64_MIN and 2^64-1 operands are exact. Results are returned modulo 2^64.
struct divmod_result {
  uint64_t q;
  uint64_t r;
};
inline divmod_result divmod(uint64_t a, bool as, uint64_t b, bool bs) {
  if (b == 0) fail("division or modulus by zero");
  const bool na = as && (a >> 63);
  const bool nb = bs && (b >> 63);
  const uint64_t ma = na ? uint64_t(0) - a : a;
  const uint64_t mb = nb ? uint64_t(0) - b : b;
  const uint64_t q = ma / mb;
  const uint64_t r = ma % mb;
  return {(na != nb) ? uint64_t(0) - q : q, na ? uint64_t(0) - r : r};
}

// Shifts keep the width and signedness of the shifted operand (UG1399: the
// return type of a shift is the type of the left operand). Amounts >= W
// shift everything out: 0 for << and for logical >>, all sign bits for the
// arithmetic >> of a negative ap_int.
inline uint64_t shl(uint64_t v, int w, bool s, uint64_t n) {
  if (n >= uint64_t(w)) return 0;
  return norm(v << n, w, s);
}
inline uint64_t shr(uint64_t v, int w, bool s, uint64_t n) {
  const bool neg = s && (v >> 63);
  if (n >= uint64_t(w)) return neg ? ~uint64_t(0) : 0;
  return neg ? ~((~v) >> n) : (v >> n);
}
// Signed shift amounts: UG1399 "a negative shift value results in a shift
// in the opposite direction".
inline uint64_t shl_signed(uint64_t v, int w, bool s, uint64_t n, bool n_s) {
  if (n_s && (n >> 63)) return shr(v, w, s, uint64_t(0) - n);
  return shl(v, w, s, n);
}
inline uint64_t shr_signed(uint64_t v, int w, bool s, uint64_t n, bool n_s) {
  if (n_s && (n >> 63)) return shl(v, w, s, uint64_t(0) - n);
  return shr(v, w, s, n);
}

// Relational operators. The guide only says they "return a Boolean value";
// the vendor model documents its rule as following "gcc rule for comparison
// between different bitwidth and signness", i.e. C's usual arithmetic
// conversions with the declared width standing in for the type rank:
//  * same signedness, or the signed operand strictly wider than the
//    unsigned one, or both narrower than 32 bits (C promotes both to int):
//    the comparison is exact (mathematical);
//  * otherwise (mixed signedness, the unsigned operand at least as wide as
//    the signed one and at least 32 bits wide) <, <=, >, >= compare
//    unsigned after extending both to max(W1, W2) + 1 bits, so a negative
//    signed operand compares GREATER than every unsigned value, and == / !=
//    compare both operands modulo 2^max(W1, W2, 32), so e.g.
//    ap_int<32>(-1) == ap_uint<32>(0xFFFFFFFF) is true.
// Comparisons with C integers convert the C operand to the ap type of its
// width first, which reproduces C's own results (x < -1 for an ap_uint<32>
// x is true, for an ap_uint<8> x it is false).
template <int W1, bool S1, int W2, bool S2>
struct cmp_rule {
  static constexpr bool unsigned_mode = (S1 != S2) && !(W1 < 32 && W2 < 32) &&
                                        (S1 ? (W2 >= W1) : (W1 >= W2));
  static constexpr int eq_w = clamp_w(max_i(max_i(W1, W2), 32));
};

template <int W1, bool S1, int W2, bool S2>
inline bool cmp_lt(uint64_t a, uint64_t b) {
  const bool na = S1 && (a >> 63);
  const bool nb = S2 && (b >> 63);
  if (na != nb) return cmp_rule<W1, S1, W2, S2>::unsigned_mode ? nb : na;
  return a < b;  // same sign class: two's complement order == value order
}

template <int W1, bool S1, int W2, bool S2>
inline bool cmp_eq(uint64_t a, uint64_t b) {
  const uint64_t m = mask(cmp_rule<W1, S1, W2, S2>::eq_w);
  return (a & m) == (b & m);
}

inline int check_bit_index(long long i, int w) {
  if (i < 0 || i >= w) fail("bit index out of range in operator[] / bit()");
  return static_cast<int>(i);
}

inline void check_range(long long hi, long long lo, int w) {
  if (lo < 0 || hi >= w || lo >= w || hi < 0)
    fail("range(hi, lo): index out of range (need 0 <= lo <= hi < W)");
  if (hi < lo)
    fail("range(hi, lo) with hi < lo (bit-reversed range) is not supported "
         "by the tickforge C-simulation header");
}

}  // namespace ap_detail

// ---------------------------------------------------------------------------
// ap_int_base<W, S>: common implementation of ap_int<W> (S = true) and
// ap_uint<W> (S = false). User code should name only ap_int / ap_uint.
// ---------------------------------------------------------------------------
template <int W, bool S>
struct ap_int_base : ap_detail::ap_tag {
  static_assert(W >= 1 && W <= 64,
                "tickforge ap_int.h supports ap_int<W> / ap_uint<W> with "
                "1 <= W <= 64 only");

  using self_type = ap_detail::ty<W, S>;
  // Implicit conversion target (Vitis converts to a 64-bit C integer).
  using RetType = typename std::conditional<S, long long, unsigned long long>::type;
  static constexpr int width = W;

  // Internal: normalised 64-bit two's complement image of the value.
  uint64_t raw_;

  // Default-constructed values are 0 (deterministic C-simulation).
  ap_int_base() : raw_(0) {}

  // From a C/C++ integer: sign- or zero-extend by the source's signedness,
  // then truncate to W (UG1399 "Zero- and Sign-Extension on Assignment" and
  // "Truncation on Assignment"; no special handling of the sign when
  // truncating).
  template <class T, ap_detail::enable_cint<T> = 0>
  ap_int_base(T v) : raw_(ap_detail::norm(static_cast<uint64_t>(v), W, S)) {}

  // From another ap type: same rule (extension by the SOURCE's signedness,
  // then truncation to the destination width).
  template <int W2, bool S2>
  ap_int_base(const ap_int_base<W2, S2>& o) : raw_(ap_detail::norm(o.raw_, W, S)) {}

  self_type& self() { return static_cast<self_type&>(*this); }
  const self_type& self() const { return static_cast<const self_type&>(*this); }

  // ---- conversions ---------------------------------------------------------
  operator RetType() const {
    if constexpr (S)
      return ap_detail::to_s64(raw_);
    else
      return raw_;
  }
  bool to_bool() const { return raw_ != 0; }
  int to_int() const { return static_cast<int>(ap_detail::to_s64(ap_detail::norm(raw_, 32, true))); }
  unsigned to_uint() const { return static_cast<unsigned>(raw_ & 0xFFFFFFFFull); }
  long to_long() const { return static_cast<long>(ap_detail::to_s64(ap_detail::norm(raw_, int(sizeof(long) * 8), true))); }
  unsigned long to_ulong() const { return static_cast<unsigned long>(raw_); }
  long long to_int64() const { return ap_detail::to_s64(raw_); }
  unsigned long long to_uint64() const { return raw_; }
  double to_double() const {
    return S ? static_cast<double>(ap_detail::to_s64(raw_)) : static_cast<double>(raw_);
  }
  int length() const { return W; }
  // Internal: current two's complement image (proxies re-read their variable).
  uint64_t bits_now() const { return raw_; }

  // ---- unary ---------------------------------------------------------------
  self_type operator+() const { return self(); }
  // Vitis defines -x as ap_uint<1>(0) - x, so its type is the "minus" type
  // of (ap_uint<1>, this type): ap_int<max(W, 1 + S) + 1>.
  ap_detail::ty<ap_detail::max_i(W, S ? 2 : 1) + 1, true> operator-() const {
    constexpr int RW = ap_detail::max_i(W, S ? 2 : 1) + 1;
    ap_detail::check_result_width<RW>();
    return ap_detail::make<RW, true>(uint64_t(0) - raw_);
  }
  self_type operator~() const { return ap_detail::make<W, S>(~raw_); }
  bool operator!() const { return raw_ == 0; }

  // ---- increment / decrement (wrap within W) -------------------------------
  self_type& operator++() { raw_ = ap_detail::norm(raw_ + 1, W, S); return self(); }
  self_type& operator--() { raw_ = ap_detail::norm(raw_ - 1, W, S); return self(); }
  self_type operator++(int) { self_type t = self(); ++*this; return t; }
  self_type operator--(int) { self_type t = self(); --*this; return t; }

  // ---- compound assignment: exact operation, then wrap to W -----------------
#define TF_AP_COMPOUND(OP, EXPR)                                            \
  template <int W2, bool S2>                                                \
  self_type& operator OP(const ap_int_base<W2, S2>& o) {                    \
    const uint64_t a = raw_;                                                \
    const uint64_t b = o.raw_;                                              \
    (void)a; (void)b;                                                       \
    raw_ = ap_detail::norm((EXPR), W, S);                                   \
    return self();                                                          \
  }                                                                         \
  template <class T, ap_detail::enable_cint<T> = 0>                         \
  self_type& operator OP(T v) {                                             \
    return *this OP ap_detail::as_ap(v);                                    \
  }
  TF_AP_COMPOUND(+=, a + b)
  TF_AP_COMPOUND(-=, a - b)
  TF_AP_COMPOUND(*=, a * b)
  TF_AP_COMPOUND(/=, ap_detail::divmod(a, S, b, S2).q)
  TF_AP_COMPOUND(%=, ap_detail::divmod(a, S, b, S2).r)
  TF_AP_COMPOUND(&=, a & b)
  TF_AP_COMPOUND(|=, a | b)
  TF_AP_COMPOUND(^=, a ^ b)
  TF_AP_COMPOUND(<<=, ap_detail::shl_signed(a, W, S, b, S2))
  TF_AP_COMPOUND(>>=, ap_detail::shr_signed(a, W, S, b, S2))
#undef TF_AP_COMPOUND

  // ---- bit select ----------------------------------------------------------
  ap_bit_ref<W, S> operator[](int i) { return ap_bit_ref<W, S>(this, i); }
  bool operator[](int i) const {
    return (raw_ >> ap_detail::check_bit_index(i, W)) & 1;
  }
  template <int W2, bool S2>
  ap_bit_ref<W, S> operator[](const ap_int_base<W2, S2>& i) {
    return ap_bit_ref<W, S>(this, ap_detail::check_bit_index(i.to_int64(), W));
  }
  template <int W2, bool S2>
  bool operator[](const ap_int_base<W2, S2>& i) const {
    return (*this)[ap_detail::check_bit_index(i.to_int64(), W)];
  }
  ap_bit_ref<W, S> bit(int i) { return (*this)[i]; }
  bool bit(int i) const { return (*this)[i]; }
  bool test(int i) const { return (*this)[i]; }
  bool get_bit(int i) const { return (*this)[i]; }
  void set_bit(int i, bool v) { (*this)[i] = v; }
  void set(int i) { (*this)[i] = true; }
  void set(int i, bool v) { (*this)[i] = v; }
  void clear(int i) { (*this)[i] = false; }
  void invert(int i) { (*this)[i] = !(*this)[i]; }

  // ---- range select --------------------------------------------------------
  // Value: bits hi..lo, zero-extended; in expressions it behaves as an
  // ap_uint<W> (W = width of the variable it was taken from), which is how
  // Vitis types a part-select whose bounds are run-time values.
  ap_range_ref<W, S> range(int hi, int lo) { return ap_range_ref<W, S>(this, hi, lo); }
  const ap_range_ref<W, S> range(int hi, int lo) const {
    return ap_range_ref<W, S>(const_cast<ap_int_base*>(this), hi, lo);
  }
  ap_range_ref<W, S> range() { return range(W - 1, 0); }
  const ap_range_ref<W, S> range() const { return range(W - 1, 0); }
  ap_range_ref<W, S> operator()(int hi, int lo) { return range(hi, lo); }
  const ap_range_ref<W, S> operator()(int hi, int lo) const { return range(hi, lo); }
  template <int W2, bool S2, int W3, bool S3>
  ap_range_ref<W, S> range(const ap_int_base<W2, S2>& hi, const ap_int_base<W3, S3>& lo) {
    return range(hi.to_int(), lo.to_int());
  }
  template <int W2, bool S2, int W3, bool S3>
  const ap_range_ref<W, S> range(const ap_int_base<W2, S2>& hi,
                                 const ap_int_base<W3, S3>& lo) const {
    return range(hi.to_int(), lo.to_int());
  }

  // ---- concatenation (member form): *this in the high bits ------------------
  template <class L, typename std::enable_if<ap_detail::is_ap<L>::value, int>::type = 0>
  ap_concat_ref<self_type&, L> concat(L&& low) {
    return ap_concat_ref<self_type&, L>(self(), std::forward<L>(low));
  }
  template <class L, typename std::enable_if<ap_detail::is_ap<L>::value, int>::type = 0>
  ap_concat_ref<const self_type&, L> concat(L&& low) const {
    return ap_concat_ref<const self_type&, L>(self(), std::forward<L>(low));
  }

  // ---- reductions and small helpers ----------------------------------------
  bool and_reduce() const { return (raw_ & ap_detail::mask(W)) == ap_detail::mask(W); }
  bool nand_reduce() const { return !and_reduce(); }
  bool or_reduce() const { return raw_ != 0; }
  bool nor_reduce() const { return raw_ == 0; }
  bool xor_reduce() const {
    uint64_t v = raw_ & ap_detail::mask(W);
    v ^= v >> 32; v ^= v >> 16; v ^= v >> 8; v ^= v >> 4; v ^= v >> 2; v ^= v >> 1;
    return v & 1;
  }
  bool xnor_reduce() const { return !xor_reduce(); }
  bool iszero() const { return raw_ == 0; }
  bool is_zero() const { return raw_ == 0; }
  bool sign() const { return S && (raw_ >> 63); }
};

// ---------------------------------------------------------------------------
// ap_int<W> / ap_uint<W>
// ---------------------------------------------------------------------------
template <int W>
struct ap_int : ap_int_base<W, true> {
  using Base = ap_int_base<W, true>;
  ap_int() = default;
  ap_int(const ap_int&) = default;
  ap_int& operator=(const ap_int&) = default;
  template <int W2, bool S2>
  ap_int(const ap_int_base<W2, S2>& o) : Base(o) {}
  template <class T, ap_detail::enable_cint<T> = 0>
  ap_int(T v) : Base(v) {}
};

template <int W>
struct ap_uint : ap_int_base<W, false> {
  using Base = ap_int_base<W, false>;
  ap_uint() = default;
  ap_uint(const ap_uint&) = default;
  ap_uint& operator=(const ap_uint&) = default;
  template <int W2, bool S2>
  ap_uint(const ap_int_base<W2, S2>& o) : Base(o) {}
  template <class T, ap_detail::enable_cint<T> = 0>
  ap_uint(T v) : Base(v) {}
};

// Proxies derive from ap_uint<...> for their VALUE. They must not inherit
// members that would modify that value copy instead of the referenced
// variable (a silent no-op): compound assignment, ++/--, bit/range selection
// for writing, set/clear/invert and member concat() are therefore not
// available on a range, bit or concatenation (bits of a proxy can still be
// read: r[i] yields bool). Read the value into a variable, compute, and
// assign it back; use (a, b) rather than a.range(..).concat(b).
#define TF_AP_PROXY_RESTRICT                                             \
  bool operator[](int i) const { return this->to_ap()[i]; }                 \
  template <int W2, bool S2>                                                \
  bool operator[](const ap_int_base<W2, S2>& i) const {                     \
    return this->to_ap()[i];                                                \
  }                                                                         \
  bool bit(int i) const { return this->to_ap()[i]; }                        \
  template <class... A> void range(A&&...) = delete;                        \
  template <class... A> void operator()(A&&...) = delete;                   \
  template <class... A> void concat(A&&...) = delete;                       \
  template <class... A> void set(A&&...) = delete;                          \
  template <class... A> void clear(A&&...) = delete;                        \
  template <class... A> void invert(A&&...) = delete;                       \
  template <class... A> void set_bit(A&&...) = delete;                      \
  template <class T> void operator+=(const T&) = delete;                    \
  template <class T> void operator-=(const T&) = delete;                    \
  template <class T> void operator*=(const T&) = delete;                    \
  template <class T> void operator/=(const T&) = delete;                    \
  template <class T> void operator%=(const T&) = delete;                    \
  template <class T> void operator&=(const T&) = delete;                    \
  template <class T> void operator|=(const T&) = delete;                    \
  template <class T> void operator^=(const T&) = delete;                    \
  template <class T> void operator<<=(const T&) = delete;                   \
  template <class T> void operator>>=(const T&) = delete;                   \
  void operator++() = delete;                                               \
  void operator--() = delete;                                               \
  void operator++(int) = delete;                                            \
  void operator--(int) = delete;

// ---------------------------------------------------------------------------
// x.range(hi, lo): value = bits hi..lo of x as ap_uint<W>; assignable.
// ---------------------------------------------------------------------------
template <int W, bool S>
struct ap_range_ref : ap_uint<W> {
  ap_int_base<W, S>* parent_;
  int hi_;
  int lo_;

  ap_range_ref(ap_int_base<W, S>* p, int hi, int lo) : ap_uint<W>(), parent_(p), hi_(hi), lo_(lo) {
    ap_detail::check_range(hi, lo, W);
    refresh();
  }
  ap_range_ref(const ap_range_ref&) = default;

  uint64_t bits_now() const { return (parent_->raw_ >> lo_) & ap_detail::mask(hi_ - lo_ + 1); }
  void refresh() { this->raw_ = bits_now(); }
  // Store the low (hi - lo + 1) bits of v into bits hi..lo of the variable.
  void store(uint64_t v) {
    const uint64_t m = ap_detail::mask(hi_ - lo_ + 1) << lo_;
    parent_->raw_ = ap_detail::norm((parent_->raw_ & ~m) | ((v << lo_) & m), W, S);
    refresh();
  }
  ap_range_ref& operator=(const ap_range_ref& v) { store(v.bits_now()); return *this; }
  template <int W2, bool S2>
  ap_range_ref& operator=(const ap_int_base<W2, S2>& v) { store(v.bits_now()); return *this; }
  template <class T, ap_detail::enable_cint<T> = 0>
  ap_range_ref& operator=(T v) { store(static_cast<uint64_t>(v)); return *this; }

  int length() const { return hi_ - lo_ + 1; }
  ap_uint<W> get() const { return *this; }
  const ap_uint<W>& to_ap() const { return *this; }

  TF_AP_PROXY_RESTRICT
};

// ---------------------------------------------------------------------------
// x[i]: value = bit i as ap_uint<1>; assignable (any non-zero value stores 1,
// as for C++ bool).
// ---------------------------------------------------------------------------
template <int W, bool S>
struct ap_bit_ref : ap_uint<1> {
  ap_int_base<W, S>* parent_;
  int index_;

  ap_bit_ref(ap_int_base<W, S>* p, int i)
      : ap_uint<1>(), parent_(p), index_(ap_detail::check_bit_index(i, W)) {
    refresh();
  }
  ap_bit_ref(const ap_bit_ref&) = default;

  uint64_t bits_now() const { return (parent_->raw_ >> index_) & 1; }
  void refresh() { this->raw_ = bits_now(); }
  void store(bool b) {
    const uint64_t m = uint64_t(1) << index_;
    parent_->raw_ = ap_detail::norm(b ? (parent_->raw_ | m) : (parent_->raw_ & ~m), W, S);
    refresh();
  }
  ap_bit_ref& operator=(const ap_bit_ref& v) { store(v.bits_now() != 0); return *this; }
  template <int W2, bool S2>
  ap_bit_ref& operator=(const ap_int_base<W2, S2>& v) { store(v.bits_now() != 0); return *this; }
  template <class T, ap_detail::enable_cint<T> = 0>
  ap_bit_ref& operator=(T v) { store(v != T(0)); return *this; }

  bool operator~() const { return this->raw_ == 0; }
  bool to_bool() const { return this->raw_ != 0; }
  bool get() const { return this->raw_ != 0; }
  int length() const { return 1; }
  const ap_uint<1>& to_ap() const { return *this; }

  TF_AP_PROXY_RESTRICT
};

// ---------------------------------------------------------------------------
// (hi, lo): UG1399 "Concatenation": hi goes to the high-order bits, lo to
// the low-order bits, and the result is an ap_uint<W_hi + W_lo> (for a range
// operand W is the width of its variable, for a bit select 1). As in the
// vendor model, the operands are packed by their actual lengths
// (x.range(hi, lo) contributes hi - lo + 1 bits), so a concatenation that
// contains a range may occupy fewer bits than its type. Assigning to a
// concatenation splits the value back into its operands (high operand first).
// ---------------------------------------------------------------------------
// H and L are the operand types as deduced by a forwarding reference: an
// lvalue operand (a variable) is held by reference, so assignments reach it;
// a prvalue operand (a range/bit proxy, a nested concatenation, a temporary
// value) is held by value, so the concatenation object never dangles.
template <class H, class L>
struct ap_concat_ref
    : ap_detail::ty<ap_detail::bare_t<H>::width + ap_detail::bare_t<L>::width, false> {
  static constexpr int WH = ap_detail::bare_t<H>::width;
  static constexpr int WL = ap_detail::bare_t<L>::width;
  static_assert(WH + WL <= 64,
                "tickforge ap_int.h: concatenation result would be wider than "
                "64 bits (only widths up to 64 are supported)");
  using value_type = ap_detail::ty<WH + WL, false>;

  H hi_;
  L lo_;

  template <class HH, class LL>
  ap_concat_ref(HH&& h, LL&& l)
      : value_type(), hi_(std::forward<HH>(h)), lo_(std::forward<LL>(l)) {
    this->raw_ = bits_now();
  }
  ap_concat_ref(const ap_concat_ref&) = default;

  // Lengths at run time: W for an ap variable, hi - lo + 1 for a range.
  int length() const { return hi_.length() + lo_.length(); }
  uint64_t bits_now() const {
    const int lh = hi_.length();
    const int ll = lo_.length();
    return ((hi_.bits_now() & ap_detail::mask(lh)) << ll) |
           (lo_.bits_now() & ap_detail::mask(ll));
  }
  void store(uint64_t v) {
    const int lh = hi_.length();
    const int ll = lo_.length();
    hi_ = ap_uint<WH>((v >> ll) & ap_detail::mask(lh));
    lo_ = ap_uint<WL>(v & ap_detail::mask(ll));
    this->raw_ = bits_now();
  }
  ap_concat_ref& operator=(const ap_concat_ref& v) { store(v.bits_now()); return *this; }
  template <int W2, bool S2>
  ap_concat_ref& operator=(const ap_int_base<W2, S2>& v) { store(v.bits_now()); return *this; }
  template <class T, ap_detail::enable_cint<T> = 0>
  ap_concat_ref& operator=(T v) { store(static_cast<uint64_t>(v)); return *this; }

  value_type get() const { return ap_detail::make<WH + WL, false>(bits_now()); }
  const value_type& to_ap() const { return *this; }

  TF_AP_PROXY_RESTRICT
};

#undef TF_AP_PROXY_RESTRICT

// Concatenation operator. Parentheses are required: (a, b).
template <class H, class L,
          typename std::enable_if<ap_detail::is_ap<H>::value && ap_detail::is_ap<L>::value,
                                  int>::type = 0>
inline ap_concat_ref<H, L> operator,(H&& hi, L&& lo) {
  return ap_concat_ref<H, L>(std::forward<H>(hi), std::forward<L>(lo));
}
// UG1399 recommends casting C/C++ integers (including literals) to an ap type
// before concatenating. Here it is required: without these deleted overloads
// (ap, 5) would silently be the built-in comma operator.
template <class H, class T,
          typename std::enable_if<ap_detail::is_ap<H>::value &&
                                      std::is_integral<typename std::decay<T>::type>::value,
                                  int>::type = 0>
void operator,(H&&, T&&) = delete;
template <class T, class L,
          typename std::enable_if<std::is_integral<typename std::decay<T>::type>::value &&
                                      ap_detail::is_ap<L>::value,
                                  int>::type = 0>
void operator,(T&&, L&&) = delete;

// ---------------------------------------------------------------------------
// Binary arithmetic and bitwise operators (ap op ap, ap op C-int, C-int op ap)
// ---------------------------------------------------------------------------
#define TF_AP_BINARY(OP, KIND, EXPR)                                              \
  template <int W1, bool S1, int W2, bool S2>                                     \
  inline ap_detail::ty<ap_detail::rtype<W1, S1, W2, S2>::KIND##_w,                \
                       ap_detail::rtype<W1, S1, W2, S2>::KIND##_s>                \
  operator OP(const ap_int_base<W1, S1>& x, const ap_int_base<W2, S2>& y) {       \
    using R = ap_detail::rtype<W1, S1, W2, S2>;                                   \
    ap_detail::check_result_width<R::KIND##_w>();                                 \
    const uint64_t a = x.raw_;                                                    \
    const uint64_t b = y.raw_;                                                    \
    return ap_detail::make<R::KIND##_w, R::KIND##_s>(EXPR);                       \
  }                                                                               \
  template <int W1, bool S1, class T, ap_detail::enable_cint<T> = 0>              \
  inline ap_detail::ty<                                                           \
      ap_detail::rtype<W1, S1, ap_detail::cint<T>::width, ap_detail::cint<T>::sign>::KIND##_w, \
      ap_detail::rtype<W1, S1, ap_detail::cint<T>::width, ap_detail::cint<T>::sign>::KIND##_s> \
  operator OP(const ap_int_base<W1, S1>& x, T y) {                                \
    return x OP ap_detail::as_ap(y);                                              \
  }                                                                               \
  template <class T, int W2, bool S2, ap_detail::enable_cint<T> = 0>              \
  inline ap_detail::ty<                                                           \
      ap_detail::rtype<ap_detail::cint<T>::width, ap_detail::cint<T>::sign, W2, S2>::KIND##_w, \
      ap_detail::rtype<ap_detail::cint<T>::width, ap_detail::cint<T>::sign, W2, S2>::KIND##_s> \
  operator OP(T x, const ap_int_base<W2, S2>& y) {                                \
    return ap_detail::as_ap(x) OP y;                                              \
  }

TF_AP_BINARY(+, plus, a + b)
TF_AP_BINARY(-, minus, a - b)
TF_AP_BINARY(*, mult, a * b)
TF_AP_BINARY(/, div, ap_detail::divmod(a, S1, b, S2).q)
TF_AP_BINARY(%, mod, ap_detail::divmod(a, S1, b, S2).r)
TF_AP_BINARY(&, logic, a & b)
TF_AP_BINARY(|, logic, a | b)
TF_AP_BINARY(^, logic, a ^ b)
#undef TF_AP_BINARY

// ---------------------------------------------------------------------------
// Relational operators (rule: see ap_detail::cmp_rule)
// ---------------------------------------------------------------------------
#define TF_AP_RELOP(OP, EXPR)                                                     \
  template <int W1, bool S1, int W2, bool S2>                                     \
  inline bool operator OP(const ap_int_base<W1, S1>& x, const ap_int_base<W2, S2>& y) { \
    const uint64_t a = x.raw_;                                                    \
    const uint64_t b = y.raw_;                                                    \
    return EXPR;                                                                  \
  }                                                                               \
  template <int W1, bool S1, class T, ap_detail::enable_cint<T> = 0>              \
  inline bool operator OP(const ap_int_base<W1, S1>& x, T y) {                    \
    return x OP ap_detail::as_ap(y);                                              \
  }                                                                               \
  template <class T, int W2, bool S2, ap_detail::enable_cint<T> = 0>              \
  inline bool operator OP(T x, const ap_int_base<W2, S2>& y) {                    \
    return ap_detail::as_ap(x) OP y;                                              \
  }

TF_AP_RELOP(==, (ap_detail::cmp_eq<W1, S1, W2, S2>(a, b)))
TF_AP_RELOP(!=, (!ap_detail::cmp_eq<W1, S1, W2, S2>(a, b)))
TF_AP_RELOP(<, (ap_detail::cmp_lt<W1, S1, W2, S2>(a, b)))
TF_AP_RELOP(>, (ap_detail::cmp_lt<W2, S2, W1, S1>(b, a)))
TF_AP_RELOP(<=, (!ap_detail::cmp_lt<W2, S2, W1, S1>(b, a)))
TF_AP_RELOP(>=, (!ap_detail::cmp_lt<W1, S1, W2, S2>(a, b)))
#undef TF_AP_RELOP

// ---------------------------------------------------------------------------
// Shifts: result has the type of the left operand; >> is arithmetic for
// ap_int and logical for ap_uint; negative (signed) amounts reverse the
// direction.
// ---------------------------------------------------------------------------
template <int W, bool S, class T, ap_detail::enable_cint<T> = 0>
inline ap_detail::ty<W, S> operator<<(const ap_int_base<W, S>& x, T n) {
  return ap_detail::make<W, S>(
      ap_detail::shl_signed(x.raw_, W, S, static_cast<uint64_t>(n), ap_detail::cint<T>::sign));
}
template <int W, bool S, class T, ap_detail::enable_cint<T> = 0>
inline ap_detail::ty<W, S> operator>>(const ap_int_base<W, S>& x, T n) {
  return ap_detail::make<W, S>(
      ap_detail::shr_signed(x.raw_, W, S, static_cast<uint64_t>(n), ap_detail::cint<T>::sign));
}
template <int W, bool S, int W2, bool S2>
inline ap_detail::ty<W, S> operator<<(const ap_int_base<W, S>& x, const ap_int_base<W2, S2>& n) {
  return ap_detail::make<W, S>(ap_detail::shl_signed(x.raw_, W, S, n.raw_, S2));
}
template <int W, bool S, int W2, bool S2>
inline ap_detail::ty<W, S> operator>>(const ap_int_base<W, S>& x, const ap_int_base<W2, S2>& n) {
  return ap_detail::make<W, S>(ap_detail::shr_signed(x.raw_, W, S, n.raw_, S2));
}

// Decimal output (signed values with a leading '-').
template <int W, bool S>
inline std::ostream& operator<<(std::ostream& os, const ap_int_base<W, S>& x) {
  if (S)
    os << x.to_int64();
  else
    os << x.to_uint64();
  return os;
}

#endif  // TICKFORGE_HLS_AP_INT_H
