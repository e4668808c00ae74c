/**
 * A model id with line-break opportunities after each `/`, so long ids wrap at
 * their owner/name boundary on narrow screens instead of mid-word. Text content
 * is unchanged (`<wbr>` adds none), so copying and search see the plain id.
 */
import { Fragment } from 'react';

/** The id as text with `<wbr>` after every `/`. */
export function ModelId({ id }: { id: string }) {
  const parts = id.split('/');
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>
          {part}
          {i < parts.length - 1 && (
            <>
              /<wbr />
            </>
          )}
        </Fragment>
      ))}
    </>
  );
}
