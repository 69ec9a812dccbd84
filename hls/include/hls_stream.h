// tickforge C-simulation stand-in for the Vitis HLS hls::stream<T> FIFO
// (UG1399, "HLS Stream Library"). Only the documented C-simulation
// behaviour is modelled: an unbounded FIFO of T.
//
//   hls::stream<T> s;                 unnamed stream
//   hls::stream<T> s("name");         named stream (name used in diagnostics)
//   s.write(v);  s << v;              blocking write (never blocks in C-sim)
//   T v = s.read();  s.read(v);  s >> v;   blocking read
//   s.read_nb(v)  / s.write_nb(v)     non-blocking; return success
//   s.empty(), s.full(), s.size()     full() is always false in C-sim
//
// Deliberate difference from the vendor model: reading an EMPTY stream with
// a blocking read is an error here. Vitis C-simulation only prints a warning
// and returns a default value (which hides dataflow bugs); this header
// prints an error that names the stream and aborts.
//
// The optional second template parameter (FIFO depth, accepted by recent
// Vitis releases as hls::stream<T, DEPTH>) is accepted and ignored.

#ifndef TICKFORGE_HLS_STREAM_H
#define TICKFORGE_HLS_STREAM_H

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <string>
#include <utility>

namespace hls {

namespace stream_detail {
inline std::string next_default_name() {
  static unsigned counter = 0;
  return "hls::stream.unnamed." + std::to_string(counter++);
}
}  // namespace stream_detail

template <class T, int DEPTH = 0>
class stream {
 public:
  stream() : name_(stream_detail::next_default_name()) {}
  explicit stream(const char* name)
      : name_(name != nullptr ? name : stream_detail::next_default_name()) {}

  // Streams are channels, not values (the vendor class is non-copyable too).
  stream(const stream&) = delete;
  stream& operator=(const stream&) = delete;

  // ---- blocking access ---------------------------------------------------
  T read() {
    if (fifo_.empty()) read_empty_error();
    T v = std::move(fifo_.front());
    fifo_.pop_front();
    return v;
  }
  void read(T& out) { out = read(); }
  void operator>>(T& out) { out = read(); }

  void write(const T& v) { fifo_.push_back(v); }
  void operator<<(const T& v) { write(v); }

  // ---- non-blocking access -----------------------------------------------
  bool read_nb(T& out) {
    if (fifo_.empty()) return false;
    out = std::move(fifo_.front());
    fifo_.pop_front();
    return true;
  }
  bool write_nb(const T& v) {
    write(v);
    return true;
  }

  // ---- status ------------------------------------------------------------
  bool empty() const { return fifo_.empty(); }
  bool full() const { return false; }
  std::size_t size() const { return fifo_.size(); }
  const std::string& name() const { return name_; }

 private:
  [[noreturn]] void read_empty_error() const {
    std::fprintf(stderr,
                 "ERROR [tickforge hls_stream.h]: blocking read from empty "
                 "hls::stream '%s' (C-simulation would hang or read garbage "
                 "in hardware); aborting.\n",
                 name_.c_str());
    std::fflush(stderr);
    std::abort();
  }

  std::string name_;
  std::deque<T> fifo_;
};

}  // namespace hls

#endif  // TICKFORGE_HLS_STREAM_H
