#include "plugin/loader.hpp"

#include <fmt/format.h>

#include <dlfcn.h>

#include <cstddef>
#include <cstring>
#include <fstream>

namespace mafio {

const char *kind_name(mafio_kind kind) {
    switch (kind) {
    case MAFIO_KIND_INPUT: return "input";
    case MAFIO_KIND_FILTER: return "filter";
    case MAFIO_KIND_OUTPUT: return "output";
    }
    return "unknown";
}

namespace {

[[noreturn]] void refuse(const PluginFile &f, const std::string &why) {
    throw PluginError(fmt::format("plugin file {}: {}", f.path, why));
}

// dlopen's own message for a text file is cryptic ("invalid ELF header" at best), so say
// plainly what is wrong before asking the dynamic loader.
void check_is_elf(const PluginFile &f) {
    std::ifstream in(f.path, std::ios::binary);
    if (!in) refuse(f, fmt::format("cannot open: {}", std::strerror(errno)));
    char magic[4] = {};
    in.read(magic, sizeof magic);
    if (in.gcount() != 4 || std::memcmp(magic, "\x7f" "ELF", 4) != 0)
        refuse(f, "not a shared library (no ELF header); expected a .so built with the mafio "
                  "plugin SDK");
}

bool same(const char *a, const std::string &b) { return a && b == a; }

std::string text(const char *s) { return s ? fmt::format("\"{}\"", s) : "NULL"; }

void check_callbacks(const PluginFile &f, const mafio_plugin_desc &d) {
    if (!d.vtable) refuse(f, "descriptor has no vtable");
    const auto *life = static_cast<const mafio_lifecycle *>(d.vtable);
    const char *missing = nullptr;
    if (!life->create) missing = "create";
    else if (!life->destroy) missing = "destroy";
    else if (d.kind == MAFIO_KIND_INPUT &&
             !static_cast<const mafio_input_vtable *>(d.vtable)->poll)
        missing = "poll";
    else if (d.kind == MAFIO_KIND_FILTER &&
             !static_cast<const mafio_filter_vtable *>(d.vtable)->process)
        missing = "process";
    else if (d.kind == MAFIO_KIND_OUTPUT &&
             !static_cast<const mafio_output_vtable *>(d.vtable)->write)
        missing = "write";
    if (missing)
        refuse(f, fmt::format("required callback {} is missing for a {} plugin", missing,
                              kind_name(static_cast<mafio_kind>(d.kind))));
}

// A descriptor member added after 1.0 is there when the plugin's struct_size covers it.
#define MAFIO_DESC_HAS(d, member)                                                               \
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
    check_is_elf(file);

    boost::dll::shared_library lib;
    boost::dll::fs::error_code ec;
    lib.load(file.path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
    if (ec) {
        const char *why = ::dlerror();
        refuse(file, fmt::format("cannot load: {}", why ? why : ec.message()));
    }
    if (!lib.has(MAFIO_PLUGIN_ENTRY_SYMBOL))
        refuse(file, fmt::format("symbol {} not found; expected a plugin built with the mafio "
                                 "SDK (MAFIO_PLUGIN(...) or an exported entry function)",
                                 MAFIO_PLUGIN_ENTRY_SYMBOL));

    auto entry = lib.get<const mafio_plugin_desc *(uint32_t, uint32_t)>(MAFIO_PLUGIN_ENTRY_SYMBOL);
    const mafio_plugin_desc *d = entry(MAFIO_ABI_MAJOR, MAFIO_ABI_MINOR);
    if (!d)
        refuse(file, fmt::format("entry function returned NULL: the plugin cannot serve a host "
                                 "of ABI {}.{}",
                                 MAFIO_ABI_MAJOR, MAFIO_ABI_MINOR));
    if (d->magic != MAFIO_PLUGIN_MAGIC)
        refuse(file, fmt::format("bad magic 0x{:08X}, expected 0x{:08X}", d->magic,
                                 MAFIO_PLUGIN_MAGIC));
    if (d->abi_major != MAFIO_ABI_MAJOR)
        refuse(file, fmt::format("built for plugin ABI major {}, this host speaks ABI major {}",
                                 d->abi_major, MAFIO_ABI_MAJOR));
    if (d->struct_size < MAFIO_PLUGIN_DESC_SIZE_1_0)
        refuse(file, fmt::format("descriptor struct_size {} is smaller than the ABI 1.0 "
                                 "descriptor ({} bytes)",
                                 d->struct_size, MAFIO_PLUGIN_DESC_SIZE_1_0));
    if (d->abi_minor > MAFIO_ABI_MINOR)
        refuse(file, fmt::format("built for plugin ABI {}.{}, newer than this host's {}.{}; "
                                 "upgrade mafio or use a plugin built for ABI {}.{} or older",
                                 d->abi_major, d->abi_minor, MAFIO_ABI_MAJOR, MAFIO_ABI_MINOR,
                                 MAFIO_ABI_MAJOR, MAFIO_ABI_MINOR));
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
    if (expected_kind != 0 && static_cast<int>(d->kind) != expected_kind)
        refuse(file, fmt::format("is a {} plugin, but this place needs kind {}",
                                 kind_name(static_cast<mafio_kind>(d->kind)),
                                 kind_name(static_cast<mafio_kind>(expected_kind))));
    check_callbacks(file, *d);
    return std::make_shared<LoadedPlugin>(std::move(lib), d, file);
}

} // namespace mafio
