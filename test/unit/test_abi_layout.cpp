// The current plugin ABI headers keep the layout of every released minor: every member of every
// struct of ABI 1.0, 1.1 and 1.2 sits at the same offset with the same size, a later minor only
// appends (its new members lie past the end of the older struct), array elements, the embedded
// lifecycle and the vtables never change size, and the constants keep their values. Checked at
// compile time against the frozen copies in test/abi/plugin_1_<minor>.h, so a change that is not
// an append (reordering, resizing, inserting a member) breaks the build of this test.
// test/integration/test_abi_compat.sh proves the same at run time with plugins built on 1.0 and
// 1.1.
#include <stddef.h>
#include <stdint.h>

#include <cstring>
#include <string_view>

// The frozen headers first, each in a namespace of its own so that their types do not clash with
// the current ones. Their macros are captured as constants and then undefined, so that the next
// header can define its own (a later minor has another MAFIO_ABI_MINOR).
namespace v1_0 {
#include "../abi/plugin_1_0.h"
constexpr uint32_t abi_major = MAFIO_ABI_MAJOR;
constexpr uint32_t abi_minor = MAFIO_ABI_MINOR;
constexpr uint32_t magic = MAFIO_PLUGIN_MAGIC;
constexpr std::string_view entry_symbol = MAFIO_PLUGIN_ENTRY_SYMBOL;
constexpr int32_t status[] = {MAFIO_OK,          MAFIO_RETRY,     MAFIO_EOF,
                              MAFIO_ERR_INVALID, MAFIO_ERR_IO,    MAFIO_ERR_INTERNAL,
                              MAFIO_ERR_STOPPED, MAFIO_ERR_CLOSED};
constexpr uint32_t record_truncated = MAFIO_RECORD_TRUNCATED;
constexpr uint32_t desc_size_1_0 = MAFIO_PLUGIN_DESC_SIZE_1_0;
} // namespace v1_0
#include "../abi/forget_macros.h"

namespace v1_1 {
#include "../abi/plugin_1_1.h"
constexpr uint32_t abi_minor = MAFIO_ABI_MINOR;
} // namespace v1_1
#include "../abi/forget_macros.h"

namespace v1_2 {
#include "../abi/plugin_1_2.h"
constexpr uint32_t abi_minor = MAFIO_ABI_MINOR;
constexpr uint32_t metric_counter = MAFIO_METRIC_COUNTER;
constexpr uint32_t metric_gauge = MAFIO_METRIC_GAUGE;
constexpr uint32_t metric_limit = MAFIO_METRIC_LIMIT;
constexpr uint32_t metric_invalid = MAFIO_METRIC_INVALID;
constexpr std::string_view ext_timer = MAFIO_EXT_TIMER;
constexpr std::string_view ext_fd = MAFIO_EXT_FD;
constexpr uint32_t fd_watch_limit = MAFIO_FD_WATCH_LIMIT;
constexpr uint32_t desc_size_1_2 = MAFIO_PLUGIN_DESC_SIZE_1_2;
} // namespace v1_2
#include "../abi/forget_macros.h"

#include <mafio/plugin.h>

#include <catch2/catch.hpp>

// ---- Members of each minor ---------------------------------------------------------------------
// X(V, struct, member) for every member of every struct of a minor; each minor's list is the
// previous one plus what it appended.

#define MEMBERS_1_0(X, V)                                                                          \
    X(V, mafio_record, offset)                                                                     \
    X(V, mafio_record, len)                                                                        \
    X(V, mafio_record, flags)                                                                      \
    X(V, mafio_record, ts_ns)                                                                      \
    X(V, mafio_batch, struct_size)                                                                 \
    X(V, mafio_batch, count)                                                                       \
    X(V, mafio_batch, records)                                                                     \
    X(V, mafio_batch, arena)                                                                       \
    X(V, mafio_batch, arena_size)                                                                  \
    X(V, mafio_batch, arena_capacity)                                                              \
    X(V, mafio_batch, records_capacity)                                                            \
    X(V, mafio_batch, stream)                                                                      \
    X(V, mafio_checkpoint, stream)                                                                 \
    X(V, mafio_checkpoint, len)                                                                    \
    X(V, mafio_checkpoint, data)                                                                   \
    X(V, mafio_host, struct_size)                                                                  \
    X(V, mafio_host, abi_major)                                                                    \
    X(V, mafio_host, abi_minor)                                                                    \
    X(V, mafio_host, reserved0)                                                                    \
    X(V, mafio_host, log)                                                                          \
    X(V, mafio_host, set_error)                                                                    \
    X(V, mafio_host, metric_register)                                                              \
    X(V, mafio_host, counter_add)                                                                  \
    X(V, mafio_host, gauge_set)                                                                    \
    X(V, mafio_host, batch_new)                                                                    \
    X(V, mafio_host, batch_reserve)                                                                \
    X(V, mafio_host, batch_set_checkpoint)                                                         \
    X(V, mafio_host, batch_free)                                                                   \
    X(V, mafio_host, emit)                                                                         \
    X(V, mafio_host, stopping)                                                                     \
    X(V, mafio_host, get_extension)                                                                \
    X(V, mafio_create_args, struct_size)                                                           \
    X(V, mafio_create_args, reserved0)                                                             \
    X(V, mafio_create_args, host)                                                                  \
    X(V, mafio_create_args, ctx)                                                                   \
    X(V, mafio_create_args, options_json)                                                          \
    X(V, mafio_create_args, instance)                                                              \
    X(V, mafio_create_args, data_dir)                                                              \
    X(V, mafio_start_args, struct_size)                                                            \
    X(V, mafio_start_args, checkpoint_count)                                                       \
    X(V, mafio_start_args, checkpoints)                                                            \
    X(V, mafio_lifecycle, create)                                                                  \
    X(V, mafio_lifecycle, start)                                                                   \
    X(V, mafio_lifecycle, flush)                                                                   \
    X(V, mafio_lifecycle, stop)                                                                    \
    X(V, mafio_lifecycle, destroy)                                                                 \
    X(V, mafio_input_vtable, life)                                                                 \
    X(V, mafio_input_vtable, poll)                                                                 \
    X(V, mafio_filter_vtable, life)                                                                \
    X(V, mafio_filter_vtable, process)                                                             \
    X(V, mafio_output_vtable, life)                                                                \
    X(V, mafio_output_vtable, write)                                                               \
    X(V, mafio_plugin_desc, magic)                                                                 \
    X(V, mafio_plugin_desc, struct_size)                                                           \
    X(V, mafio_plugin_desc, abi_major)                                                             \
    X(V, mafio_plugin_desc, abi_minor)                                                             \
    X(V, mafio_plugin_desc, kind)                                                                  \
    X(V, mafio_plugin_desc, reserved0)                                                             \
    X(V, mafio_plugin_desc, name)                                                                  \
    X(V, mafio_plugin_desc, tag)                                                                   \
    X(V, mafio_plugin_desc, version)                                                               \
    X(V, mafio_plugin_desc, description)                                                           \
    X(V, mafio_plugin_desc, options_schema)                                                        \
    X(V, mafio_plugin_desc, vtable)

#define MEMBERS_1_1(X, V)                                                                          \
    MEMBERS_1_0(X, V)                                                                              \
    X(V, mafio_create_args, max_batch_records)                                                     \
    X(V, mafio_create_args, reserved1)

#define MEMBERS_1_2(X, V)                                                                          \
    MEMBERS_1_1(X, V)                                                                              \
    X(V, mafio_create_args, component_id)                                                          \
    X(V, mafio_plugin_desc, get_extension)                                                         \
    X(V, mafio_plugin_desc, checkpoint_format)                                                     \
    X(V, mafio_plugin_desc, checkpoint_formats_read)                                               \
    X(V, mafio_timer_ext, struct_size)                                                             \
    X(V, mafio_timer_ext, reserved0)                                                               \
    X(V, mafio_timer_ext, wake_at)                                                                 \
    X(V, mafio_fd_ext, struct_size)                                                                \
    X(V, mafio_fd_ext, reserved0)                                                                  \
    X(V, mafio_fd_ext, watch)                                                                      \
    X(V, mafio_fd_ext, unwatch)

// Every member of minor V keeps its offset and its size in the current headers.
#define KEEPS(V, S, m)                                                                             \
    static_assert(offsetof(::S, m) == offsetof(V::S, m),                                           \
                  #S "." #m " moved since ABI " #V ": structs may only grow at the end");          \
    static_assert(sizeof(::S::m) == sizeof(V::S::m), #S "." #m " changed size since ABI " #V);
MEMBERS_1_0(KEEPS, v1_0)
MEMBERS_1_1(KEEPS, v1_1)
MEMBERS_1_2(KEEPS, v1_2)

// ---- Each frozen list covers its struct to the end ------------------------------------------
// The last member listed ends where the struct ends (up to its alignment), so a member a minor
// appended cannot be missing from the lists above.
constexpr size_t round_up(size_t n, size_t align) {
    return (n + align - 1) / align * align;
}
#define ENDS_WITH(V, S, last)                                                                      \
    static_assert(round_up(offsetof(V::S, last) + sizeof(V::S::last), alignof(V::S)) ==            \
                      sizeof(V::S),                                                                \
                  #V "::" #S " has members after " #last " that the lists above miss");
#define LAST_MEMBERS_ALL(X, V)                                                                     \
    X(V, mafio_record, ts_ns)                                                                      \
    X(V, mafio_batch, stream)                                                                      \
    X(V, mafio_checkpoint, data)                                                                   \
    X(V, mafio_host, get_extension)                                                                \
    X(V, mafio_start_args, checkpoints)                                                            \
    X(V, mafio_lifecycle, destroy)                                                                 \
    X(V, mafio_input_vtable, poll)                                                                 \
    X(V, mafio_filter_vtable, process)                                                             \
    X(V, mafio_output_vtable, write)
LAST_MEMBERS_ALL(ENDS_WITH, v1_0)
ENDS_WITH(v1_0, mafio_create_args, data_dir)
ENDS_WITH(v1_0, mafio_plugin_desc, vtable)
LAST_MEMBERS_ALL(ENDS_WITH, v1_1)
ENDS_WITH(v1_1, mafio_create_args, reserved1)
ENDS_WITH(v1_1, mafio_plugin_desc, vtable)
LAST_MEMBERS_ALL(ENDS_WITH, v1_2)
ENDS_WITH(v1_2, mafio_create_args, component_id)
ENDS_WITH(v1_2, mafio_plugin_desc, checkpoint_formats_read)
ENDS_WITH(v1_2, mafio_timer_ext, wake_at)
ENDS_WITH(v1_2, mafio_fd_ext, unwatch)

// ---- A later minor only appends -------------------------------------------------------------
static_assert(offsetof(v1_1::mafio_create_args, max_batch_records) >=
                  sizeof(v1_0::mafio_create_args),
              "1.1's max_batch_records is not past the end of the 1.0 create args");
static_assert(offsetof(v1_2::mafio_create_args, component_id) >= sizeof(v1_1::mafio_create_args),
              "1.2's component_id is not past the end of the 1.1 create args");
static_assert(offsetof(v1_2::mafio_plugin_desc, get_extension) >= sizeof(v1_1::mafio_plugin_desc),
              "1.2's descriptor members are not past the end of the 1.1 descriptor");

// Structs never shrink or change alignment; the current ones are those of the newest frozen
// minor exactly (a struct that grew needs a new minor, and a new minor needs a frozen header).
#define SAME_ALIGN_GROWS(V, S)                                                                     \
    static_assert(sizeof(::S) >= sizeof(V::S), #S " shrank since ABI " #V);                        \
    static_assert(alignof(::S) == alignof(V::S), #S " changed alignment since ABI " #V);
#define STRUCTS_1_0(X, V)                                                                          \
    X(V, mafio_record)                                                                             \
    X(V, mafio_batch)                                                                              \
    X(V, mafio_checkpoint)                                                                         \
    X(V, mafio_host)                                                                               \
    X(V, mafio_create_args)                                                                        \
    X(V, mafio_start_args)                                                                         \
    X(V, mafio_lifecycle)                                                                          \
    X(V, mafio_input_vtable)                                                                       \
    X(V, mafio_filter_vtable)                                                                      \
    X(V, mafio_output_vtable)                                                                      \
    X(V, mafio_plugin_desc)
#define STRUCTS_1_2(X, V)                                                                          \
    STRUCTS_1_0(X, V)                                                                              \
    X(V, mafio_timer_ext)                                                                          \
    X(V, mafio_fd_ext)
STRUCTS_1_0(SAME_ALIGN_GROWS, v1_0)
STRUCTS_1_0(SAME_ALIGN_GROWS, v1_1)
#define SAME_SIZE(V, S)                                                                            \
    static_assert(sizeof(::S) == sizeof(V::S),                                                     \
                  #S " differs from the frozen " #V ": a struct that grows needs a new minor "     \
                     "and a frozen header for it (test/abi/freeze.sh)");
STRUCTS_1_2(SAME_SIZE, v1_2)
static_assert(MAFIO_ABI_MINOR == v1_2::abi_minor,
              "the ABI minor went up: freeze it (test/abi/freeze.sh) and add it to this test");

// Arrays' elements, the lifecycle embedded at the start of every vtable, and the vtables (a host
// cannot tell a longer one from a shorter one) never change size in ABI 1.x.
#define FIXED_SIZE(V, S)                                                                           \
    static_assert(sizeof(::S) == sizeof(V::S), #S " is fixed for ABI 1.x but changed since " #V);
#define FIXED_STRUCTS(X, V)                                                                        \
    X(V, mafio_record)                                                                             \
    X(V, mafio_checkpoint)                                                                         \
    X(V, mafio_lifecycle)                                                                          \
    X(V, mafio_input_vtable)                                                                       \
    X(V, mafio_filter_vtable)                                                                      \
    X(V, mafio_output_vtable)
FIXED_STRUCTS(FIXED_SIZE, v1_0)
FIXED_STRUCTS(FIXED_SIZE, v1_1)

// ---- Constants -------------------------------------------------------------------------------
static_assert(MAFIO_ABI_MAJOR == v1_0::abi_major, "ABI major changed: 1.x plugins are refused");
static_assert(v1_0::abi_minor == 0 && v1_1::abi_minor == 1 && v1_2::abi_minor == 2,
              "a frozen header does not say the minor its name says");
static_assert(MAFIO_PLUGIN_MAGIC == v1_0::magic, "magic changed");
static_assert(std::string_view(MAFIO_PLUGIN_ENTRY_SYMBOL) == v1_0::entry_symbol,
              "the entry symbol changed");
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

// The host accepts any descriptor of at least the 1.0 size, and that size must stay what a 1.0
// plugin reports; the 1.2 size is what a 1.2 plugin reports.
static_assert(MAFIO_PLUGIN_DESC_SIZE_1_0 == v1_0::desc_size_1_0, "1.0 descriptor size changed");
static_assert(v1_0::desc_size_1_0 == sizeof(v1_0::mafio_plugin_desc),
              "MAFIO_PLUGIN_DESC_SIZE_1_0 is not the size of the 1.0 descriptor");
static_assert(sizeof(v1_1::mafio_plugin_desc) == sizeof(v1_0::mafio_plugin_desc),
              "1.1 did not change the descriptor");
static_assert(MAFIO_PLUGIN_DESC_SIZE_1_2 == v1_2::desc_size_1_2 &&
                  v1_2::desc_size_1_2 == sizeof(v1_2::mafio_plugin_desc),
              "MAFIO_PLUGIN_DESC_SIZE_1_2 is not the size of the 1.2 descriptor");

// 1.2's named values: metric kinds are the numbers 1.0 already used (0 counter, 1 gauge).
static_assert(MAFIO_METRIC_COUNTER == v1_2::metric_counter && MAFIO_METRIC_COUNTER == 0 &&
                  MAFIO_METRIC_GAUGE == v1_2::metric_gauge && MAFIO_METRIC_GAUGE == 1,
              "a metric kind changed value");
static_assert(MAFIO_METRIC_LIMIT == v1_2::metric_limit &&
                  MAFIO_METRIC_INVALID == v1_2::metric_invalid &&
                  MAFIO_METRIC_INVALID >= MAFIO_METRIC_LIMIT,
              "the metric limit or the invalid id changed");
static_assert(std::string_view(MAFIO_EXT_TIMER) == v1_2::ext_timer &&
                  std::string_view(MAFIO_EXT_FD) == v1_2::ext_fd &&
                  MAFIO_FD_WATCH_LIMIT == v1_2::fd_watch_limit,
              "an extension id or limit changed: a new version is a new id (\"...v2\")");

TEST_CASE("abi: the current headers keep the 1.0, 1.1 and 1.2 layouts (checked at compile time)") {
    // Everything above is a static_assert; this case makes the check visible in the test list.
    CHECK(sizeof(mafio_plugin_desc) >= MAFIO_PLUGIN_DESC_SIZE_1_0);
    CHECK(sizeof(mafio_plugin_desc) == MAFIO_PLUGIN_DESC_SIZE_1_2);
}

TEST_CASE("abi: MAFIO_STRUCT_HAS reads a struct only up to the struct_size its writer set") {
    mafio_create_args args{};
    // What a 1.0, a 1.1 and a 1.2 host fill in.
    args.struct_size = sizeof(v1_0::mafio_create_args);
    CHECK(MAFIO_STRUCT_HAS(mafio_create_args, &args, data_dir));
    CHECK_FALSE(MAFIO_STRUCT_HAS(mafio_create_args, &args, max_batch_records));
    CHECK_FALSE(MAFIO_STRUCT_HAS(mafio_create_args, &args, component_id));
    args.struct_size = sizeof(v1_1::mafio_create_args);
    CHECK(MAFIO_STRUCT_HAS(mafio_create_args, &args, max_batch_records));
    CHECK_FALSE(MAFIO_STRUCT_HAS(mafio_create_args, &args, component_id));
    args.struct_size = sizeof(v1_2::mafio_create_args);
    CHECK(MAFIO_STRUCT_HAS(mafio_create_args, &args, component_id));

    // The host reads a descriptor the same way: a 1.0 plugin's has no checkpoint formats.
    mafio_plugin_desc desc{};
    desc.struct_size = MAFIO_PLUGIN_DESC_SIZE_1_0;
    CHECK(MAFIO_STRUCT_HAS(mafio_plugin_desc, &desc, vtable));
    CHECK_FALSE(MAFIO_STRUCT_HAS(mafio_plugin_desc, &desc, get_extension));
    CHECK_FALSE(MAFIO_STRUCT_HAS(mafio_plugin_desc, &desc, checkpoint_formats_read));
    desc.struct_size = MAFIO_PLUGIN_DESC_SIZE_1_2;
    CHECK(MAFIO_STRUCT_HAS(mafio_plugin_desc, &desc, checkpoint_formats_read));
}
