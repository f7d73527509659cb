// mvdan-sh ships no types; shell-script.ts narrows what it reads.
declare module "mvdan-sh" {
  const sh: { syntax: { NewParser(...opts: unknown[]): { Parse(src: string, name: string): unknown } } };
  export default sh;
}
