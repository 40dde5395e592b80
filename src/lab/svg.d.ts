/** SVG files are bundled as their source text (JupyterLab's builder uses `asset/source`). */
declare module '*.svg' {
  const svgstr: string;
  export default svgstr;
}
