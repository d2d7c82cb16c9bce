#include "tests/support/module_proxy.h"

#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <vector>

namespace modgate::test {
namespace {

std::uint32_t crc32(const std::string& data) {
  static const auto table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t crc = 0xffffffffu;
  for (char byte : data) crc = table[(crc ^ static_cast<unsigned char>(byte)) & 0xff] ^ (crc >> 8);
  return crc ^ 0xffffffffu;
}

void put16(std::string& out, unsigned value) {
  out += static_cast<char>(value & 0xff);
  out += static_cast<char>((value >> 8) & 0xff);
}

void put32(std::string& out, std::uint32_t value) {
  put16(out, value & 0xffff);
  put16(out, value >> 16);
}

/// A zip archive with stored (uncompressed) entries, which Go's module zips allow.
std::string storedZip(const std::map<std::string, std::string>& entries) {
  std::string out, central;
  unsigned count = 0;
  for (const auto& [name, data] : entries) {
    auto offset = static_cast<std::uint32_t>(out.size());
    std::uint32_t crc = crc32(data);
    auto size = static_cast<std::uint32_t>(data.size());
    put32(out, 0x04034b50u);
    put16(out, 20);
    put16(out, 0);
    put16(out, 0);  // stored
    put16(out, 0);
    put16(out, 0x21);  // 1980-01-01
    put32(out, crc);
    put32(out, size);
    put32(out, size);
    put16(out, static_cast<unsigned>(name.size()));
    put16(out, 0);
    out += name + data;
    put32(central, 0x02014b50u);
    put16(central, 20);
    put16(central, 20);
    put16(central, 0);
    put16(central, 0);
    put16(central, 0);
    put16(central, 0x21);
    put32(central, crc);
    put32(central, size);
    put32(central, size);
    put16(central, static_cast<unsigned>(name.size()));
    put16(central, 0);
    put16(central, 0);
    put16(central, 0);
    put16(central, 0);
    put32(central, 0);
    put32(central, offset);
    central += name;
    ++count;
  }
  auto central_offset = static_cast<std::uint32_t>(out.size());
  out += central;
  put32(out, 0x06054b50u);
  put16(out, 0);
  put16(out, 0);
  put16(out, count);
  put16(out, count);
  put32(out, static_cast<std::uint32_t>(central.size()));
  put32(out, central_offset);
  put16(out, 0);
  return out;
}

void writeText(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

void writeModule(const std::string& proxy_dir, const std::string& module, const std::string& version,
                 std::map<std::string, std::string> files) {
  if (!files.count("go.mod")) files["go.mod"] = "module " + module + "\n\ngo 1.19\n";
  std::map<std::string, std::string> entries;
  for (const auto& [name, data] : files) entries[module + "@" + version + "/" + name] = data;
  std::filesystem::path dir = std::filesystem::path(proxy_dir) / module / "@v";
  writeText(dir / "list", version + "\n");
  writeText(dir / (version + ".info"), "{\"Version\":\"" + version + "\",\"Time\":\"2023-01-01T00:00:00Z\"}");
  writeText(dir / (version + ".mod"), files["go.mod"]);
  writeText(dir / (version + ".zip"), storedZip(entries));
}

}  // namespace modgate::test
