/* field.c — the field layer (placeholder: being written). */
#include "painter.h"

void sk_paint_field(painter *p)
{
    (void)p;
}
