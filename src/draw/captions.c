/* captions.c — the captions layer (placeholder: being written). */
#include "painter.h"

void sk_paint_captions(painter *p)
{
    (void)p;
}
