// Opens a plugin file and checks its descriptor before any other plugin code runs.
#pragma once

#include "plugin/plugin_ref.hpp"
#include "plugin/registry.hpp"

#include <mafio/plugin.h>

#include <boost/dll/shared_library.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace mafio {

const char *kind_name(mafio_kind kind);

// A loaded and verified plugin. The library stays loaded while any instance holds this.
class LoadedPlugin {
public:
    LoadedPlugin(boost::dll::shared_library lib, const mafio_plugin_desc *desc, PluginFile file)
        : lib_(std::move(lib)), desc_(desc), file_(std::move(file)) {}

    const mafio_plugin_desc &desc() const { return *desc_; }
    mafio_kind kind() const { return static_cast<mafio_kind>(desc_->kind); }
    const PluginFile &file() const { return file_; }
    std::string id() const { return file_.name + ":" + file_.tag; }
    const mafio_lifecycle &lifecycle() const {
        return *static_cast<const mafio_lifecycle *>(desc_->vtable);
    }
    const mafio_input_vtable &input() const {
        return *static_cast<const mafio_input_vtable *>(desc_->vtable);
    }
    const mafio_filter_vtable &filter() const {
        return *static_cast<const mafio_filter_vtable *>(desc_->vtable);
    }
    const mafio_output_vtable &output() const {
        return *static_cast<const mafio_output_vtable *>(desc_->vtable);
    }

    // Checkpoint formats (ABI 1.2). A plugin that declares none, or was built for 1.0/1.1,
    // writes and reads "mafio.legacy/<name>" (what 0.3 stored, keyed by plugin name).
    std::string checkpoint_format() const;
    bool reads_checkpoint_format(std::string_view format) const;
    // The plugin-side extension `id` (ABI 1.2), or nullptr.
    const void *plugin_extension(void *instance, const char *id) const;

private:
    boost::dll::shared_library lib_;
    const mafio_plugin_desc *desc_;
    PluginFile file_;
};

// Loads `file` and runs every descriptor check of the ABI in order. `expected_kind` 0 accepts
// any kind (for -list-plugins). Throws PluginError: one line naming the file, what was
// expected and what was found.
std::shared_ptr<LoadedPlugin> load_plugin(const PluginFile &file, int expected_kind);

} // namespace mafio
