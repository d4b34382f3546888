/** A person's or a company's postal address, as a carrier prints it on a label. Personal data: never logged. */
export interface PostalAddress {
  name: string;
  line1: string;
  line2?: string;
  postcode: string;
  city: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  phone?: string;
}
