// The current plugin.h keeps the ABI 1.0 layout: every member of every 1.0 struct sits at the
// same offset with the same size, structs only grow, and the 1.0 constants keep their values.
// Checked at compile time against the frozen copy in test/abi/plugin_1_0.h, so a change that
// is not an append (reordering, resizing, inserting a member) breaks the build of this test.
// test/integration/test_abi_compat.sh proves the same at run time with a plugin built on 1.0.
#include <stddef.h>
#include <stdint.h>

#include <cstring>

// The frozen header first, in a namespace of its own so that its types do not clash with the
// current ones. Its macros are captured as constants and then undefined, so that plugin.h can
// define its own (a later minor has another MAFIO_ABI_MINOR). This list is as frozen as 1.0.
namespace v1_0 {
#include "../abi/plugin_1_0.h"
constexpr uint32_t abi_major = MAFIO_ABI_MAJOR;
constexpr uint32_t abi_minor = MAFIO_ABI_MINOR;
constexpr uint32_t magic = MAFIO_PLUGIN_MAGIC;
constexpr const char *entry_symbol = MAFIO_PLUGIN_ENTRY_SYMBOL;
constexpr int32_t status[] = {MAFIO_OK,          MAFIO_RETRY,     MAFIO_EOF,
                              MAFIO_ERR_INVALID, MAFIO_ERR_IO,    MAFIO_ERR_INTERNAL,
                              MAFIO_ERR_STOPPED, MAFIO_ERR_CLOSED};
constexpr uint32_t record_truncated = MAFIO_RECORD_TRUNCATED;
constexpr uint32_t desc_size_1_0 = MAFIO_PLUGIN_DESC_SIZE_1_0;
} // namespace v1_0
#undef MAFIO_ABI_MAJOR
#undef MAFIO_ABI_MINOR
#undef MAFIO_PLUGIN_MAGIC
#undef MAFIO_PLUGIN_ENTRY_SYMBOL
#undef MAFIO_OK
#undef MAFIO_RETRY
#undef MAFIO_EOF
#undef MAFIO_ERR_INVALID
#undef MAFIO_ERR_IO
#undef MAFIO_ERR_INTERNAL
#undef MAFIO_ERR_STOPPED
#undef MAFIO_ERR_CLOSED
#undef MAFIO_RECORD_TRUNCATED
#undef MAFIO_PLUGIN_DESC_SIZE_1_0
#undef MAFIO_PLUGIN_EXPORT

#include <mafio/plugin.h>

#include <catch2/catch.hpp>

// A 1.0 member keeps its offset and its size in the current header.
#define KEEPS_1_0(S, m)                                                                            \
    static_assert(offsetof(::S, m) == offsetof(v1_0::S, m),                                        \
                  #S "." #m " moved since ABI 1.0: structs may only grow at the end");             \
    static_assert(sizeof(::S::m) == sizeof(v1_0::S::m), #S "." #m " changed size since ABI 1.0")
// A struct is at least as large as in 1.0 (members are appended, never removed).
#define GROWS_ONLY(S)                                                                              \
    static_assert(sizeof(::S) >= sizeof(v1_0::S), #S " shrank since ABI 1.0");                     \
    static_assert(alignof(::S) == alignof(v1_0::S), #S " changed alignment since ABI 1.0")

KEEPS_1_0(mafio_record, offset);
KEEPS_1_0(mafio_record, len);
KEEPS_1_0(mafio_record, flags);
KEEPS_1_0(mafio_record, ts_ns);
// Records are an array: their size is part of the layout, they cannot grow.
static_assert(sizeof(mafio_record) == sizeof(v1_0::mafio_record),
              "mafio_record is an array element: its size is fixed for ABI 1.x");

KEEPS_1_0(mafio_batch, struct_size);
KEEPS_1_0(mafio_batch, count);
KEEPS_1_0(mafio_batch, records);
KEEPS_1_0(mafio_batch, arena);
KEEPS_1_0(mafio_batch, arena_size);
KEEPS_1_0(mafio_batch, arena_capacity);
KEEPS_1_0(mafio_batch, records_capacity);
KEEPS_1_0(mafio_batch, stream);
GROWS_ONLY(mafio_batch);

KEEPS_1_0(mafio_checkpoint, stream);
KEEPS_1_0(mafio_checkpoint, len);
KEEPS_1_0(mafio_checkpoint, data);
// Checkpoints are an array in mafio_start_args: fixed size too.
static_assert(sizeof(mafio_checkpoint) == sizeof(v1_0::mafio_checkpoint),
              "mafio_checkpoint is an array element: its size is fixed for ABI 1.x");

KEEPS_1_0(mafio_host, struct_size);
KEEPS_1_0(mafio_host, abi_major);
KEEPS_1_0(mafio_host, abi_minor);
KEEPS_1_0(mafio_host, reserved0);
KEEPS_1_0(mafio_host, log);
KEEPS_1_0(mafio_host, set_error);
KEEPS_1_0(mafio_host, metric_register);
KEEPS_1_0(mafio_host, counter_add);
KEEPS_1_0(mafio_host, gauge_set);
KEEPS_1_0(mafio_host, batch_new);
KEEPS_1_0(mafio_host, batch_reserve);
KEEPS_1_0(mafio_host, batch_set_checkpoint);
KEEPS_1_0(mafio_host, batch_free);
KEEPS_1_0(mafio_host, emit);
KEEPS_1_0(mafio_host, stopping);
KEEPS_1_0(mafio_host, get_extension);
GROWS_ONLY(mafio_host);

KEEPS_1_0(mafio_create_args, struct_size);
KEEPS_1_0(mafio_create_args, reserved0);
KEEPS_1_0(mafio_create_args, host);
KEEPS_1_0(mafio_create_args, ctx);
KEEPS_1_0(mafio_create_args, options_json);
KEEPS_1_0(mafio_create_args, instance);
KEEPS_1_0(mafio_create_args, data_dir);
GROWS_ONLY(mafio_create_args);

KEEPS_1_0(mafio_start_args, struct_size);
KEEPS_1_0(mafio_start_args, checkpoint_count);
KEEPS_1_0(mafio_start_args, checkpoints);
GROWS_ONLY(mafio_start_args);

KEEPS_1_0(mafio_lifecycle, create);
KEEPS_1_0(mafio_lifecycle, start);
KEEPS_1_0(mafio_lifecycle, flush);
KEEPS_1_0(mafio_lifecycle, stop);
KEEPS_1_0(mafio_lifecycle, destroy);
// The lifecycle is embedded at the start of every vtable: a new member there would shift the
// kind's own callbacks. New lifecycle callbacks go at the end of each vtable instead.
static_assert(sizeof(mafio_lifecycle) == sizeof(v1_0::mafio_lifecycle),
              "mafio_lifecycle is embedded in the vtables: its size is fixed for ABI 1.x");

KEEPS_1_0(mafio_input_vtable, life);
KEEPS_1_0(mafio_input_vtable, poll);
GROWS_ONLY(mafio_input_vtable);
KEEPS_1_0(mafio_filter_vtable, life);
KEEPS_1_0(mafio_filter_vtable, process);
GROWS_ONLY(mafio_filter_vtable);
KEEPS_1_0(mafio_output_vtable, life);
KEEPS_1_0(mafio_output_vtable, write);
GROWS_ONLY(mafio_output_vtable);

KEEPS_1_0(mafio_plugin_desc, magic);
KEEPS_1_0(mafio_plugin_desc, struct_size);
KEEPS_1_0(mafio_plugin_desc, abi_major);
KEEPS_1_0(mafio_plugin_desc, abi_minor);
KEEPS_1_0(mafio_plugin_desc, kind);
KEEPS_1_0(mafio_plugin_desc, reserved0);
KEEPS_1_0(mafio_plugin_desc, name);
KEEPS_1_0(mafio_plugin_desc, tag);
KEEPS_1_0(mafio_plugin_desc, version);
KEEPS_1_0(mafio_plugin_desc, description);
KEEPS_1_0(mafio_plugin_desc, options_schema);
KEEPS_1_0(mafio_plugin_desc, vtable);
GROWS_ONLY(mafio_plugin_desc);

// The host accepts any descriptor of at least the 1.0 size, and that size must stay what a 1.0
// plugin reports.
static_assert(MAFIO_PLUGIN_DESC_SIZE_1_0 == v1_0::desc_size_1_0, "1.0 descriptor size changed");
static_assert(v1_0::desc_size_1_0 == sizeof(v1_0::mafio_plugin_desc),
              "MAFIO_PLUGIN_DESC_SIZE_1_0 is not the size of the 1.0 descriptor");

// Same major, a minor that only grows, and every 1.0 constant keeps its value.
static_assert(MAFIO_ABI_MAJOR == v1_0::abi_major, "ABI major changed: 1.0 plugins are refused");
static_assert(MAFIO_ABI_MINOR >= v1_0::abi_minor, "ABI minor went backwards");
static_assert(MAFIO_PLUGIN_MAGIC == v1_0::magic, "magic changed");
static_assert(MAFIO_RECORD_TRUNCATED == v1_0::record_truncated, "record flag changed");
static_assert(MAFIO_OK == v1_0::status[0] && MAFIO_RETRY == v1_0::status[1] &&
                  MAFIO_EOF == v1_0::status[2] && MAFIO_ERR_INVALID == v1_0::status[3] &&
                  MAFIO_ERR_IO == v1_0::status[4] && MAFIO_ERR_INTERNAL == v1_0::status[5] &&
                  MAFIO_ERR_STOPPED == v1_0::status[6] && MAFIO_ERR_CLOSED == v1_0::status[7],
              "a 1.0 status code changed value");
static_assert(MAFIO_KIND_INPUT == static_cast<int>(v1_0::MAFIO_KIND_INPUT) &&
                  MAFIO_KIND_FILTER == static_cast<int>(v1_0::MAFIO_KIND_FILTER) &&
                  MAFIO_KIND_OUTPUT == static_cast<int>(v1_0::MAFIO_KIND_OUTPUT),
              "a 1.0 plugin kind changed value");
static_assert(MAFIO_LOG_DEBUG == static_cast<int>(v1_0::MAFIO_LOG_DEBUG) &&
                  MAFIO_LOG_INFO == static_cast<int>(v1_0::MAFIO_LOG_INFO) &&
                  MAFIO_LOG_WARN == static_cast<int>(v1_0::MAFIO_LOG_WARN) &&
                  MAFIO_LOG_ERROR == static_cast<int>(v1_0::MAFIO_LOG_ERROR),
              "a 1.0 log level changed value");

TEST_CASE("abi: the current plugin.h keeps the 1.0 layout (checked at compile time)") {
    // Everything above is a static_assert; this case makes the check visible in the test list
    // and covers the one thing a static_assert cannot compare: the entry symbol's name.
    CHECK(std::strcmp(MAFIO_PLUGIN_ENTRY_SYMBOL, v1_0::entry_symbol) == 0);
    CHECK(sizeof(mafio_plugin_desc) >= MAFIO_PLUGIN_DESC_SIZE_1_0);
}
