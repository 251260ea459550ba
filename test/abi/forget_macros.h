/*
 * Undefines every macro a frozen ABI header (plugin_1_<minor>.h) defines, so that the next
 * header, frozen or current, can define its own: test/unit/test_abi_layout.cpp includes several
 * minors in one translation unit, each in a namespace of its own, and captures the values it
 * compares as constants before including this. When a minor adds a macro, add it here.
 * No include guard: it is meant to be included once after each frozen header.
 */
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
/* ABI 1.2 */
#undef MAFIO_STRUCT_HAS
#undef MAFIO_METRIC_COUNTER
#undef MAFIO_METRIC_GAUGE
#undef MAFIO_METRIC_LIMIT
#undef MAFIO_METRIC_INVALID
#undef MAFIO_EXT_TIMER
#undef MAFIO_EXT_FD
#undef MAFIO_FD_WATCH_LIMIT
#undef MAFIO_PLUGIN_DESC_SIZE_1_2
