#include "plugin/loader.hpp"

#include "plugin/crash_guard.hpp"
#include "plugin/elf_identity.hpp"
#include "util/log.hpp"

#include <fmt/format.h>

#include <dlfcn.h>

#include <cstddef>
#include <cstring>
#include <fstream>

namespace mafio {

const char *kind_name(mafio_kind kind) {
    switch (kind) {
    case MAFIO_KIND_INPUT:
        return "input";
    case MAFIO_KIND_FILTER:
        return "filter";
    case MAFIO_KIND_OUTPUT:
        return "output";
    }
    return "unknown";
}

namespace {

[[noreturn]] void refuse(const PluginFile &f, const std::string &why) {
    throw PluginError(fmt::format("plugin file {}: {}", f.path, why));
}

// dlopen's own messages for a text file ("invalid ELF header") or a library of another
// architecture ("No such file or directory", "wrong ELF class") are cryptic, so the header is
// read first and what is wrong said plainly before the dynamic loader is asked.
void check_elf_header(const PluginFile &f) {
    std::ifstream in(f.path, std::ios::binary);
    if (!in) refuse(f, fmt::format("cannot open: {}", std::strerror(errno)));
    unsigned char header[64] = {};
    in.read(reinterpret_cast<char *>(header), sizeof header);
    auto id = parse_elf_identity(header, static_cast<size_t>(in.gcount()));
    if (!id)
        refuse(f, "not a shared library (no ELF header); expected a .so built with the mafio "
                  "plugin SDK");
    std::string mismatch = elf_mismatch(*id, host_elf_identity());
    if (!mismatch.empty()) refuse(f, mismatch);
}

// "an input", "a filter", "an output".
const char *article(mafio_kind kind) {
    return kind == MAFIO_KIND_INPUT || kind == MAFIO_KIND_OUTPUT ? "an" : "a";
}

bool same(const char *a, const std::string &b) {
    return a && b == a;
}

std::string text(const char *s) {
    return s ? fmt::format("\"{}\"", s) : "NULL";
}

void check_callbacks(const PluginFile &f, const mafio_plugin_desc &d) {
    if (!d.vtable) refuse(f, "descriptor has no vtable");
    const auto *life = static_cast<const mafio_lifecycle *>(d.vtable);
    const char *missing = nullptr;
    if (!life->create)
        missing = "create";
    else if (!life->destroy)
        missing = "destroy";
    else if (d.kind == MAFIO_KIND_INPUT && !static_cast<const mafio_input_vtable *>(d.vtable)->poll)
        missing = "poll";
    else if (d.kind == MAFIO_KIND_FILTER &&
             !static_cast<const mafio_filter_vtable *>(d.vtable)->process)
        missing = "process";
    else if (d.kind == MAFIO_KIND_OUTPUT &&
             !static_cast<const mafio_output_vtable *>(d.vtable)->write)
        missing = "write";
    if (missing)
        refuse(f, fmt::format("required callback {} is missing for {} {} plugin", missing,
                              article(static_cast<mafio_kind>(d.kind)),
                              kind_name(static_cast<mafio_kind>(d.kind))));
}

// A descriptor member added after 1.0 is there when the plugin's struct_size covers it.
#define MAFIO_DESC_HAS(d, member)                                                                  \
    ((d).struct_size >= offsetof(mafio_plugin_desc, member) + sizeof((d).member))

} // namespace

std::string LoadedPlugin::checkpoint_format() const {
    if (MAFIO_DESC_HAS(*desc_, checkpoint_format) && desc_->checkpoint_format)
        return desc_->checkpoint_format;
    return "mafio.legacy/" + file_.name;
}

bool LoadedPlugin::reads_checkpoint_format(std::string_view format) const {
    if (MAFIO_DESC_HAS(*desc_, checkpoint_formats_read) && desc_->checkpoint_formats_read) {
        for (const char *const *f = desc_->checkpoint_formats_read; *f; ++f)
            if (format == *f) return true;
        return false;
    }
    return format == checkpoint_format();
}

const void *LoadedPlugin::plugin_extension(void *instance, const char *id) const {
    if (!MAFIO_DESC_HAS(*desc_, get_extension) || !desc_->get_extension) return nullptr;
    return desc_->get_extension(instance, id);
}

std::shared_ptr<LoadedPlugin> load_plugin(const PluginFile &file, int expected_kind) {
    check_elf_header(file);

    boost::dll::shared_library lib;
    const mafio_plugin_desc *d = nullptr;
    {
        // The plugin's own code runs from here on: its constructors inside dlopen, then its
        // entry function. A crash in either is named (crash_guard.hpp).
        LoadCrashGuard guard(file.path);
        boost::dll::fs::error_code ec;
        lib.load(file.path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local,
                 ec);
        if (ec) {
            const char *why = ::dlerror();
            refuse(file, fmt::format("cannot load: {}", why ? why : ec.message()));
        }
        if (!lib.has(MAFIO_PLUGIN_ENTRY_SYMBOL))
            refuse(file, fmt::format("symbol {} not found; expected a plugin built with the mafio "
                                     "SDK (MAFIO_PLUGIN(...) or an exported entry function)",
                                     MAFIO_PLUGIN_ENTRY_SYMBOL));
        auto entry =
            lib.get<const mafio_plugin_desc *(uint32_t, uint32_t)>(MAFIO_PLUGIN_ENTRY_SYMBOL);
        guard.phase(LoadCrashGuard::Phase::entry);
        d = entry(MAFIO_ABI_MAJOR, MAFIO_ABI_MINOR);
    }
    if (!d)
        refuse(file, fmt::format("entry function returned NULL: the plugin cannot serve a host "
                                 "of ABI {}.{}",
                                 MAFIO_ABI_MAJOR, MAFIO_ABI_MINOR));
    if (d->magic != MAFIO_PLUGIN_MAGIC)
        refuse(file,
               fmt::format("bad magic 0x{:08X}, expected 0x{:08X}", d->magic, MAFIO_PLUGIN_MAGIC));
    if (d->abi_major != MAFIO_ABI_MAJOR)
        refuse(file, fmt::format("built for plugin ABI major {}, this host speaks ABI major {}",
                                 d->abi_major, MAFIO_ABI_MAJOR));
    if (d->struct_size < MAFIO_PLUGIN_DESC_SIZE_1_0)
        refuse(file, fmt::format("descriptor struct_size {} is smaller than the ABI 1.0 "
                                 "descriptor ({} bytes)",
                                 d->struct_size, MAFIO_PLUGIN_DESC_SIZE_1_0));
    if (d->kind < MAFIO_KIND_INPUT || d->kind > MAFIO_KIND_OUTPUT)
        refuse(file, fmt::format("unknown plugin kind {}, expected 1 (input), 2 (filter) or 3 "
                                 "(output)",
                                 d->kind));
    if (!same(d->name, file.name))
        refuse(file, fmt::format("descriptor name {} does not match the file name's \"{}\"",
                                 text(d->name), file.name));
    if (!same(d->tag, file.tag))
        refuse(file, fmt::format("descriptor tag {} does not match the file name's \"{}\"",
                                 text(d->tag), file.tag));
    if (expected_kind != 0 && static_cast<int>(d->kind) != expected_kind) {
        auto is = static_cast<mafio_kind>(d->kind);
        auto wanted = static_cast<mafio_kind>(expected_kind);
        refuse(file, fmt::format("is {} {} plugin, but this place needs {} {} plugin", article(is),
                                 kind_name(is), article(wanted), kind_name(wanted)));
    }
    check_callbacks(file, *d);
    // Minors are append-only: a plugin built for a newer one still fills every member this host
    // knows, and MAFIO_DESC_HAS keeps the host from reading past what it knows (or past the
    // plugin's struct_size). What the plugin adds beyond that is simply not used.
    if (d->abi_minor > MAFIO_ABI_MINOR)
        log::info("plugin file {}: built for plugin ABI {}.{}, newer than this host's {}.{}; "
                  "loaded, using only what ABI {}.{} defines",
                  file.path, d->abi_major, d->abi_minor, MAFIO_ABI_MAJOR, MAFIO_ABI_MINOR,
                  MAFIO_ABI_MAJOR, MAFIO_ABI_MINOR);
    return std::make_shared<LoadedPlugin>(std::move(lib), d, file);
}

} // namespace mafio
