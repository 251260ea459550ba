#include "plugin/elf_identity.hpp"

#include <fmt/format.h>

#include <elf.h>

#include <cstring>

namespace mafio {

namespace {

uint16_t read_u16(const unsigned char *p, uint8_t data) {
    return data == ELFDATA2MSB ? static_cast<uint16_t>(p[0] << 8 | p[1])
                               : static_cast<uint16_t>(p[1] << 8 | p[0]);
}

// The machine this file is compiled for; 0 (unknown) skips the machine comparison rather than
// refusing what dlopen may well accept.
constexpr uint16_t compiled_machine() {
#if defined(__x86_64__)
    return EM_X86_64;
#elif defined(__aarch64__)
    return EM_AARCH64;
#elif defined(__i386__)
    return EM_386;
#elif defined(__arm__)
    return EM_ARM;
#elif defined(__riscv)
    return EM_RISCV;
#elif defined(__powerpc64__)
    return EM_PPC64;
#elif defined(__powerpc__)
    return EM_PPC;
#elif defined(__s390__)
    return EM_S390;
#elif defined(__mips__)
    return EM_MIPS;
#else
    return 0;
#endif
}

const char *type_name(uint16_t type) {
    switch (type) {
    case ET_EXEC:
        return "an executable, not a shared library";
    case ET_REL:
        return "an object file (.o), not a shared library; link it with -shared";
    case ET_CORE:
        return "a core dump, not a shared library";
    }
    return nullptr;
}

} // namespace

std::optional<ElfIdentity> parse_elf_identity(const unsigned char *bytes, size_t size) {
    if (size < EI_NIDENT + 4 || std::memcmp(bytes, ELFMAG, SELFMAG) != 0) return std::nullopt;
    ElfIdentity id;
    id.elf_class = bytes[EI_CLASS];
    id.data = bytes[EI_DATA];
    // e_type and e_machine follow e_ident in both classes.
    id.type = read_u16(bytes + EI_NIDENT, id.data);
    id.machine = read_u16(bytes + EI_NIDENT + 2, id.data);
    return id;
}

ElfIdentity host_elf_identity() {
    ElfIdentity id;
    id.elf_class = sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32;
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    id.data = ELFDATA2MSB;
#else
    id.data = ELFDATA2LSB;
#endif
    id.type = ET_DYN;
    id.machine = compiled_machine();
    return id;
}

std::string elf_machine_name(uint16_t machine) {
    switch (machine) {
    case EM_X86_64:
        return "x86_64";
    case EM_AARCH64:
        return "aarch64";
    case EM_386:
        return "i386";
    case EM_ARM:
        return "arm";
    case EM_RISCV:
        return "riscv";
    case EM_PPC64:
        return "ppc64";
    case EM_PPC:
        return "powerpc";
    case EM_S390:
        return "s390x";
    case EM_MIPS:
        return "mips";
    case EM_SPARCV9:
        return "sparc64";
    case EM_IA_64:
        return "ia64";
    case 258:
        return "loongarch"; // EM_LOONGARCH, absent from older <elf.h>
    }
    return fmt::format("machine 0x{:04x}", machine);
}

std::string elf_mismatch(const ElfIdentity &lib, const ElfIdentity &host) {
    const bool other_class = lib.elf_class != host.elf_class;
    const bool other_order = lib.data != host.data;
    const bool other_machine = host.machine != 0 && lib.machine != host.machine;
    if (other_class || other_order || other_machine) {
        auto describe = [&](const ElfIdentity &id) {
            std::string s = elf_machine_name(id.machine);
            if (other_class)
                s += id.elf_class == ELFCLASS64   ? " (64-bit)"
                     : id.elf_class == ELFCLASS32 ? " (32-bit)"
                                                  : " (unknown ELF class)";
            if (other_order)
                s += id.data == ELFDATA2MSB   ? ", big-endian"
                     : id.data == ELFDATA2LSB ? ", little-endian"
                                              : ", unknown byte order";
            return s;
        };
        return fmt::format("built for {}, this host is {}", describe(lib), describe(host));
    }
    if (lib.type != ET_DYN) {
        const char *what = type_name(lib.type);
        return what ? what : fmt::format("ELF type {} is not a shared library", lib.type);
    }
    return "";
}

} // namespace mafio
