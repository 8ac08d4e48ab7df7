// Voice-activity detection with the public C++ API (onyx/onyx.hpp): finds where people speak in a recording.
//
//   vad_demo [--wav FILE.wav] [--model model.onnx] [--threshold P] [--segments OUT.txt]
//
// Reads a 16 kHz mono 16-bit PCM WAV file, streams it through the Silero voice-activity detector (v4: inputs
// input[1,512], sr, h, c; outputs output, hn, cn) in chunks of 512 samples (32 ms), carrying the model's
// recurrent state from each chunk to the next as a live stream would, and turns the per-chunk speech
// probabilities into speech segments the way Silero's get_speech_timestamps does. Prints the segments and how
// fast it ran; --segments also writes them, one "START END" line in samples each, for tools and tests.
// examples/vad_demo_ort.py does the same with onnxruntime. Defaults: the bundled model and recording.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "onyx/onyx.hpp"

namespace {

constexpr int64_t kRate = 16000;
constexpr int64_t kChunk = 512;  // samples per model call at 16 kHz
constexpr int64_t kStateSize = 64;

// Silero's defaults for get_speech_timestamps.
constexpr int64_t kMinSpeechMs = 250;     // shorter segments are dropped
constexpr int64_t kMinSilenceMs = 100;    // a segment ends only after this much silence
constexpr int64_t kSpeechPadMs = 30;      // each segment is widened by this on both sides
constexpr double kNegativeMargin = 0.15;  // speech ends below threshold - margin (hysteresis)

// Bad input files and options: reported as one line, never a crash.
struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

uint32_t Le32(const unsigned char* p) { return p[0] | (p[1] << 8) | (p[2] << 16) | (uint32_t{p[3]} << 24); }
uint16_t Le16(const unsigned char* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }

// The samples of a RIFF/WAVE file holding 16 kHz mono 16-bit PCM, scaled to [-1, 1). Every size the file
// states is checked against the bytes it really has.
std::vector<float> ReadWav(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw InputError(path + ": is a directory, not a WAV file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open: " + std::strerror(errno));
  std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw InputError(path + ": read error");
  const size_t n = bytes.size();
  if (n < 12 || std::memcmp(bytes.data(), "RIFF", 4) != 0 || std::memcmp(bytes.data() + 8, "WAVE", 4) != 0) {
    throw InputError(path + ": not a WAV file (no RIFF/WAVE header)");
  }
  bool have_format = false;
  size_t pos = 12;
  while (pos + 8 <= n) {
    const unsigned char* chunk = bytes.data() + pos;
    const std::string id(reinterpret_cast<const char*>(chunk), 4);
    uint64_t size = Le32(chunk + 4);
    const size_t body = pos + 8;
    if (id == "data" && size == 0xFFFFFFFFu) size = n - body;  // streamed WAVs leave the length unset
    if (size > n - body) {
      throw InputError(path + ": truncated: chunk '" + id + "' declares " + std::to_string(size) + " bytes, " +
                       std::to_string(n - body) + " remain");
    }
    if (id == "fmt ") {
      if (size < 16) throw InputError(path + ": 'fmt ' chunk of " + std::to_string(size) + " bytes, expected 16+");
      const unsigned char* f = bytes.data() + body;
      uint16_t format = Le16(f);
      // WAVE_FORMAT_EXTENSIBLE names the real format in the first two bytes of its sub-format GUID.
      if (format == 0xFFFE && size >= 40) format = Le16(f + 24);
      const uint16_t channels = Le16(f + 2);
      const uint32_t rate = Le32(f + 4);
      const uint16_t bits = Le16(f + 14);
      if (format != 1) throw InputError(path + ": audio format " + std::to_string(format) + ", expected 1 (PCM)");
      if (channels != 1 || rate != kRate || bits != 16) {
        throw InputError(path + ": " + std::to_string(channels) + " channel(s), " + std::to_string(rate) + " Hz, " +
                         std::to_string(bits) + "-bit; expected mono, 16000 Hz, 16-bit");
      }
      have_format = true;
    } else if (id == "data") {
      if (!have_format) throw InputError(path + ": 'data' chunk before any 'fmt ' chunk");
      if (size % 2 != 0) {
        throw InputError(path + ": 'data' chunk of an odd number of bytes (" + std::to_string(size) +
                         ") for 16-bit samples");
      }
      if (size == 0) throw InputError(path + ": no samples");
      std::vector<float> samples(size / 2);
      for (size_t i = 0; i < samples.size(); ++i) {
        samples[i] = static_cast<int16_t>(Le16(bytes.data() + body + 2 * i)) / 32768.0f;
      }
      return samples;
    }
    pos = body + size + (size & 1);  // chunks are padded to an even length
  }
  throw InputError(path + (have_format ? ": no 'data' chunk" : ": no 'fmt ' chunk"));
}

struct Segment {
  int64_t start, end;  // samples
};

// Silero's get_speech_timestamps (without a maximum segment length): a segment starts at the first chunk whose
// probability reaches the threshold and ends where a silence, every chunk below threshold - 0.15 from its
// start, has lasted min-silence; segments not longer than min-speech are dropped; then each is padded, and two
// segments closer than twice the pad split the gap between them.
std::vector<Segment> SpeechSegments(const std::vector<float>& probs, int64_t n_samples, double threshold) {
  const double negative = std::max(threshold - kNegativeMargin, 0.01);
  const int64_t min_speech = kRate * kMinSpeechMs / 1000;
  const int64_t min_silence = kRate * kMinSilenceMs / 1000;
  const int64_t pad = kRate * kSpeechPadMs / 1000;
  std::vector<Segment> segments;
  int64_t start = -1;         // the segment in progress; -1: none
  int64_t silence_from = -1;  // where the silence that may end it began; -1: none
  for (size_t i = 0; i < probs.size(); ++i) {
    const int64_t at = static_cast<int64_t>(i) * kChunk;
    if (probs[i] >= threshold) {
      silence_from = -1;
      if (start < 0) start = at;
      continue;
    }
    if (probs[i] < negative && start >= 0) {
      if (silence_from < 0) silence_from = at;
      if (at - silence_from >= min_silence) {
        if (silence_from - start > min_speech) segments.push_back({start, silence_from});
        start = silence_from = -1;
      }
    }
  }
  if (start >= 0 && n_samples - start > min_speech) segments.push_back({start, n_samples});
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i == 0) segments[i].start = std::max<int64_t>(0, segments[i].start - pad);
    if (i + 1 < segments.size()) {
      const int64_t gap = segments[i + 1].start - segments[i].end;
      const int64_t widen = gap < 2 * pad ? gap / 2 : pad;
      segments[i].end = std::min(n_samples, segments[i].end + widen);
      segments[i + 1].start = std::max<int64_t>(0, segments[i + 1].start - widen);
    } else {
      segments[i].end = std::min(n_samples, segments[i].end + pad);
    }
  }
  return segments;
}

struct Options {
  std::string model, wav, segments_out;
  double threshold = 0.5;
};

Options ParseArgs(int argc, char** argv) {
  Options o;
#ifdef ONYX_VAD_DIR
  o.model = ONYX_VAD_DIR "/model.onnx";
  o.wav = ONYX_VAD_DIR "/speech/speech.wav";
#endif
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::cout << "usage: vad_demo [--wav FILE.wav] [--model model.onnx] [--threshold P] [--segments OUT.txt]\n";
      std::exit(0);
    }
    std::string* text = arg == "--wav"        ? &o.wav
                        : arg == "--model"    ? &o.model
                        : arg == "--segments" ? &o.segments_out
                                              : nullptr;
    if (text == nullptr && arg != "--threshold") throw InputError("unknown option '" + arg + "'; see --help");
    if (i + 1 >= argc) throw InputError(arg + " needs a value");
    const std::string value = argv[++i];
    if (text != nullptr) {
      *text = value;
      continue;
    }
    char* end = nullptr;
    o.threshold = std::strtod(value.c_str(), &end);
    if (end == value.c_str() || *end != '\0' || !(o.threshold > 0.0 && o.threshold < 1.0)) {
      throw InputError("--threshold '" + value + "': expected a probability between 0 and 1");
    }
  }
  if (o.model.empty() || o.wav.empty()) throw InputError("no bundled model or recording known: give --model and --wav");
  return o;
}

// The model must be Silero's v4 interface; say so plainly rather than fail inside the run.
void CheckInterface(const onyx::Session& session, const std::string& path) {
  const std::vector<std::string> inputs = session.input_names();
  const std::vector<std::string> outputs = session.output_names();
  for (const char* name : {"input", "sr", "h", "c"}) {
    if (std::find(inputs.begin(), inputs.end(), name) == inputs.end()) {
      throw InputError(path + ": no input '" + name + "'; expected Silero VAD v4 (inputs input, sr, h, c)");
    }
  }
  for (const char* name : {"output", "hn", "cn"}) {
    if (std::find(outputs.begin(), outputs.end(), name) == outputs.end()) {
      throw InputError(path + ": no output '" + name + "'; expected Silero VAD v4 (outputs output, hn, cn)");
    }
  }
}

// printf into a string.
template <typename... Args>
std::string Format(const char* format, Args... args) {
  char buf[256];
  std::snprintf(buf, sizeof buf, format, args...);
  return buf;
}

double Seconds(int64_t samples) { return static_cast<double>(samples) / kRate; }

// One line, one character per slice of time: '#' where a segment covers it.
std::string Timeline(const std::vector<Segment>& segments, int64_t n_samples, int width) {
  std::string line(static_cast<size_t>(width), '.');
  for (const Segment& s : segments) {
    const int64_t from = s.start * width / n_samples;
    const int64_t to = std::max(from + 1, (s.end * width + n_samples - 1) / n_samples);
    for (int64_t i = from; i < to && i < width; ++i) line[static_cast<size_t>(i)] = '#';
  }
  return line;
}

int Run(const Options& o) {
  const std::vector<float> audio = ReadWav(o.wav);
  const auto n_samples = static_cast<int64_t>(audio.size());

  onyx::SessionOptions options;
  options.SetIntraOpThreads(1);  // one stream, one thread: as Silero runs it
  onyx::Session session(o.model, options);
  CheckInterface(session, o.model);

  // The chunk buffer is wrapped once and refilled before each run; the state outputs of one run are the
  // state inputs of the next, handed over without a copy.
  std::vector<float> chunk(kChunk);
  onyx::Value input = onyx::Value::Wrap<float>({1, kChunk}, chunk.data(), chunk.size());
  onyx::Value sr = onyx::Value::Tensor<int64_t>({}, {kRate});
  onyx::Value h = onyx::Value::Zeros(onyx::ElementType::kFloat, {2, 1, kStateSize});
  onyx::Value c = onyx::Value::Zeros(onyx::ElementType::kFloat, {2, 1, kStateSize});
  std::vector<float> probs;
  std::chrono::steady_clock::duration compute{};
  for (int64_t at = 0; at < n_samples; at += kChunk) {
    const int64_t n = std::min(kChunk, n_samples - at);
    std::copy_n(audio.begin() + at, n, chunk.begin());
    std::fill(chunk.begin() + n, chunk.end(), 0.0f);  // the last chunk is padded with silence
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<onyx::Value> out =
        session.Run({"input", "sr", "h", "c"}, {&input, &sr, &h, &c}, {"output", "hn", "cn"});
    compute += std::chrono::steady_clock::now() - t0;
    if (out[0].element_type() != onyx::ElementType::kFloat || out[0].element_count() < 1) {
      throw InputError(o.model + ": output 'output' is not a float probability");
    }
    probs.push_back(out[0].data<float>()[0]);
    h = std::move(out[1]);
    c = std::move(out[2]);
  }

  const std::vector<Segment> segments = SpeechSegments(probs, n_samples, o.threshold);
  std::cout << "Speech in " << o.wav << Format(" (%.2f s at 16 kHz), threshold %g:\n", Seconds(n_samples), o.threshold);
  int64_t speech = 0;
  for (size_t i = 0; i < segments.size(); ++i) {
    std::cout << Format("  %2zu  %6.2f s - %6.2f s  speech\n", i + 1, Seconds(segments[i].start),
                        Seconds(segments[i].end));
    speech += segments[i].end - segments[i].start;
  }
  std::cout << "  |" << Timeline(segments, n_samples, 70) << "|\n";
  std::cout << Format("  %zu segments, %.2f s of speech\n", segments.size(), Seconds(speech));
  const double secs = std::chrono::duration<double>(compute).count();
  std::cout << Format("onyx %s: %zu chunks in %.3f s, %.3f ms per chunk, %.0fx real time (1 thread)\n",
                      OnyxGetVersionString(), probs.size(), secs, 1000.0 * secs / static_cast<double>(probs.size()),
                      Seconds(n_samples) / secs);

  if (!o.segments_out.empty()) {
    std::ofstream out(o.segments_out);
    for (const Segment& s : segments) out << s.start << ' ' << s.end << '\n';
    if (!out.flush()) throw InputError(o.segments_out + ": cannot write");
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(ParseArgs(argc, argv));
  } catch (const InputError& e) {
    std::cerr << "vad_demo: error: " << e.what() << '\n';
    return 2;
  } catch (const onyx::Error& e) {
    std::cerr << "vad_demo: error: [" << e.code_name() << "] " << e.what() << '\n';
    return 1;
  } catch (const std::exception& e) {  // out of memory, an I/O failure: still one line, not an abort
    std::cerr << "vad_demo: error: " << e.what() << '\n';
    return 1;
  }
}
