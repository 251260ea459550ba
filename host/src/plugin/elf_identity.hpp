// What a shared object was built for, read from its ELF header without loading it: dlopen's
// own message for a library of another architecture is "No such file or directory" or "wrong
// ELF class", which sends an operator looking for a missing file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace mafio {

struct ElfIdentity {
    uint8_t elf_class = 0; // ELFCLASS32 / ELFCLASS64
    uint8_t data = 0;      // ELFDATA2LSB / ELFDATA2MSB
    uint16_t type = 0;     // ET_DYN for a shared object
    uint16_t machine = 0;  // EM_X86_64, EM_AARCH64, ...
};

// The header's identity, or nullopt when the bytes are not an ELF header (too short, no magic).
std::optional<ElfIdentity> parse_elf_identity(const unsigned char *bytes, size_t size);

// What this process is (class, byte order and machine it was compiled for).
ElfIdentity host_elf_identity();

// "" when a library of identity `lib` can be loaded by `host`; otherwise why not, e.g. "built
// for aarch64, this host is x86_64" or "an executable, not a shared library".
std::string elf_mismatch(const ElfIdentity &lib, const ElfIdentity &host);

// "x86_64", "aarch64", ... or "machine 0x1234".
std::string elf_machine_name(uint16_t machine);

} // namespace mafio
