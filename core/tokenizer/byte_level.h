#pragma once
// GPT-2's byte-level alphabet: every byte is shown as one printable Unicode character
// (printable Latin-1 bytes as themselves, the others as U+0100.. in byte order, so a space is
// "Ġ" U+0120 and "\n" is "Ċ" U+010A). Byte-level BPE vocabularies are written in it.
#include <cstdint>
#include <string>
#include <string_view>

namespace qs {

// Appends the byte-level characters (UTF-8) of bytes to out.
void append_byte_level(std::string_view bytes, std::string& out);

// Appends the bytes a byte-level token stands for. A token with a character outside the
// alphabet is appended as it is, as Hugging Face's ByteLevel decoder does.
void append_bytes_from_byte_level(std::string_view token, std::string& out);

}  // namespace qs
