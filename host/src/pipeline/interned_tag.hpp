// Tags as batches carry them: one immortal copy of each distinct tag string, so that a batch can
// point at its tag without owning it or counting references, and still outlive a reload that
// changes its input's tag. The set only grows by the tags a configuration names, a handful.
#pragma once

#include <string>
#include <string_view>

namespace mafio {

// The one copy of `tag`, valid until the process exits. Takes a lock: call it when a tag is
// configured, never per batch.
const std::string *interned_tag(std::string_view tag);

} // namespace mafio
