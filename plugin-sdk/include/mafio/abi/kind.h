/*
 * mafio plugin ABI: the three kinds of plugin. The kind decides which vtable the descriptor
 * points to (mafio/abi/vtables.h) and where the component sits in the pipeline.
 */
#ifndef MAFIO_ABI_KIND_H
#define MAFIO_ABI_KIND_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mafio_kind {
    MAFIO_KIND_INPUT = 1,  /* reads a source and emits batches: mafio_input_vtable */
    MAFIO_KIND_FILTER = 2, /* rewrites or drops records of batches in place: mafio_filter_vtable */
    MAFIO_KIND_OUTPUT = 3  /* delivers records to a destination: mafio_output_vtable */
} mafio_kind;

#ifdef __cplusplus
}
#endif

#endif /* MAFIO_ABI_KIND_H */
