// `elementtiming` (Element Timing API): the browser reports when an element marked with it first paints.
// React passes the attribute through as written; this only teaches the type checker that it exists.
import 'react';

declare module 'react' {
  // Merging requires React's own type parameter name, used or not.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface HTMLAttributes<T> {
    elementtiming?: string;
  }
}
