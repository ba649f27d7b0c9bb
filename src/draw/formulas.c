/* formulas.c — the formulas and mapping layers (placeholder: being written). */
#include "painter.h"

void sk_paint_formulas(painter *p)
{
    (void)p;
}

void sk_paint_mapping(painter *p)
{
    (void)p;
}
