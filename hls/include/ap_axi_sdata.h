// tickforge C-simulation stand-in for the Vitis HLS AXI4-Stream side-channel
// struct (UG1399, "AXI4-Stream Interfaces with Side-Channels"): minimal
// subset.
//
//   hls::axis<ap_uint<64>, 0, 0, 0> beat;
//   beat.data = ...; beat.keep = -1; beat.strb = -1; beat.last = 1;
//
// Members: data (T), keep and strb (ap_uint<bytes of T>), last (ap_uint<1>).
// user / id / dest exist only when their width parameter is non-zero; with
// width 0 (the usual case) naming them is a compile-time error.

#ifndef TICKFORGE_HLS_AP_AXI_SDATA_H
#define TICKFORGE_HLS_AP_AXI_SDATA_H

#include <cstddef>
#include <type_traits>

#include "ap_int.h"

namespace hls {

namespace axis_detail {

template <class T, class Enable = void>
struct data_bits {
  static constexpr int value = int(sizeof(T) * 8);
};
template <class T>
struct data_bits<T, typename std::enable_if<ap_detail::is_ap<T>::value>::type> {
  static constexpr int value = T::width;
};

template <std::size_t W> struct user_field { ap_uint<int(W)> user; };
template <> struct user_field<0> {};
template <std::size_t W> struct id_field { ap_uint<int(W)> id; };
template <> struct id_field<0> {};
template <std::size_t W> struct dest_field { ap_uint<int(W)> dest; };
template <> struct dest_field<0> {};

}  // namespace axis_detail

template <class T, std::size_t WUser = 0, std::size_t WId = 0, std::size_t WDest = 0>
struct axis : axis_detail::user_field<WUser>,
              axis_detail::id_field<WId>,
              axis_detail::dest_field<WDest> {
  static constexpr int data_width = axis_detail::data_bits<T>::value;
  static constexpr int byte_lanes = (data_width + 7) / 8;

  T data{};
  ap_uint<byte_lanes> keep{};
  ap_uint<byte_lanes> strb{};
  ap_uint<1> last{};
};

}  // namespace hls

#endif  // TICKFORGE_HLS_AP_AXI_SDATA_H
